// The Worker's entry: HTTP through the Hono app, and the Durable Object classes.
import { wireRuntime } from "./agents-runtime/wiring.ts";
import type { Env } from "./env.ts";
import { createApp } from "./http/app.ts";
import type { FanOutMessage } from "./triggers-engine/dispatch.ts";
import { consumeFanOut } from "./triggers-engine/fan-out-consumer.ts";
import { handleScheduled } from "./triggers-engine/scheduled.ts";

export { AgentSessionObject } from "./agents-runtime/session-object.ts";
export { TriggerStateObject } from "./triggers-engine/trigger-state-object.ts";
export { WorkflowObject } from "./triggers-engine/workflow-object.ts";
export { IndexObject } from "./history/index-object.ts";
export { RunObject } from "./run/run-object.ts";

wireRuntime();
const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  scheduled: (controller, env, ctx) => handleScheduled(env, controller.scheduledTime, (work) => ctx.waitUntil(work)),
  queue: (batch, env) => consumeFanOut(batch, env),
} satisfies ExportedHandler<Env, FanOutMessage>;
