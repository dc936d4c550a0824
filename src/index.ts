// The Worker's entry: HTTP through the Hono app, and the Durable Object classes.
import type { Env } from "./env.ts";
import { createApp } from "./http/app.ts";

export { IndexObject } from "./history/index-object.ts";
export { RunObject } from "./run/run-object.ts";

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
