// The Worker's entry: HTTP through the Hono app, and the Durable Object classes.
import { wireRuntime } from "./agents-runtime/wiring.ts";
import type { Env } from "./env.ts";
import { createApp } from "./http/app.ts";

export { AgentSessionObject } from "./agents-runtime/session-object.ts";
export { IndexObject } from "./history/index-object.ts";
export { RunObject } from "./run/run-object.ts";

wireRuntime();
const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
