// The bench Worker: Cairn with the bench workflows registered, plus a route that reports a
// run's storage size (the benchmarks read it; nothing else should).
import { createCairn } from "../src/worker.ts";
import type { Env } from "../src/env.ts";
import type { FanOutMessage } from "../src/triggers-engine/dispatch.ts";
import { type CfPeerEnv, cfPeerRoute } from "./cf-peer-routes.ts";
import { type CfEnv, cfRoute } from "./cf-routes.ts";
import * as examples from "../examples/cairn.gen.ts";
import { benchWorkflows } from "./workflows.ts";

export { CfPeerDigest, CfPeerPayload, CfPeerReplay, CfPeerSleep } from "./cf-peer-workflows.ts";
export { CfEvent, CfSleep, CfSteps } from "./cf-workflows.ts";

// The examples too: the engine bench runs greeting, the fan-out bench daily-digest through its cron
// trigger (bench scripts regenerate examples/cairn.gen.ts first).
const cairn = createCairn({ ...examples, workflows: [...benchWorkflows, ...examples.workflows] });

export { AgentSessionObject, IndexObject, RunObject, TriggerStateObject, WorkflowObject } from "../src/worker.ts";

export default {
  ...cairn,
  async fetch(request, env, ctx) {
    const cf = await cfRoute(request, env as unknown as CfEnv);
    if (cf) return cf;
    const peer = await cfPeerRoute(request, env as unknown as CfPeerEnv);
    if (peer) return peer;
    const url = new URL(request.url);
    const match = /^\/bench\/storage\/(run_[0-9a-f]{32})$/.exec(url.pathname);
    if (match) {
      const stub = env.RUNS.get(env.RUNS.idFromName(match[1]!));
      return Response.json(await stub.storageStats());
    }
    return cairn.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env, FanOutMessage>;
