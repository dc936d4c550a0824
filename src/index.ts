// The Worker's entry: HTTP through the Hono app, and the Durable Object classes.
import { wireRuntime } from "./agents-runtime/wiring.ts";
import { ConfigError, configErrorResponse, readConfig } from "./config.ts";
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

// Workers have no startup hook: every handler validates the configuration on first use (cached
// per env), so a misconfigured deploy fails loudly at once instead of corrupting runs later.
export default {
  fetch: (request, env, ctx) => {
    try {
      readConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return configErrorResponse(error);
      throw error;
    }
    return app.fetch(request, env, ctx);
  },
  scheduled: (controller, env, ctx) => {
    readConfig(env);
    return handleScheduled(env, controller.scheduledTime, (work) => ctx.waitUntil(work));
  },
  // Throwing retries the whole batch: its runs start once the configuration is fixed.
  queue: (batch, env) => {
    readConfig(env);
    return consumeFanOut(batch, env);
  },
} satisfies ExportedHandler<Env, FanOutMessage>;
