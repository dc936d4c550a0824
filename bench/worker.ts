// The bench Worker: Cairn with the bench workflows registered, plus a route that reports a
// run's storage size (the benchmarks read it; nothing else should).
import * as Cairn from "../src/worker.ts";
import { createCairn } from "../src/worker.ts";
import type { Env } from "../src/env.ts";
import type { FanOutMessage } from "../src/triggers-engine/dispatch.ts";
import { type CfPeerEnv, cfPeerRoute } from "./cf-peer-routes.ts";
import { type CfEnv, cfRoute } from "./cf-routes.ts";
import * as examples from "../examples/cairn.gen.ts";
import { meterReport } from "./meter-report.ts";
import { metered, meteredEnv, resetMeters, workerMeter } from "./object-meter.ts";
import { benchWorkflows } from "./workflows.ts";

export { CfPeerDigest, CfPeerPayload, CfPeerReplay, CfPeerSleep } from "./cf-peer-workflows.ts";
export { CfEvent, CfSleep, CfSteps } from "./cf-workflows.ts";

// The examples too: the engine bench runs greeting, the fan-out bench daily-digest through its cron
// trigger (bench scripts regenerate examples/cairn.gen.ts first).
const cairn = createCairn({ ...examples, workflows: [...benchWorkflows, ...examples.workflows] });

// Cairn's objects, metered (bench/object-meter.ts): requests per object id, rows, alarms, R2 and
// Queue calls and active time, read and reset through /bench/meter.
export const RunObject = metered(
  Cairn.RunObject,
  "RunObject",
  ["start", "watchdog", "retrySource", "markRetriedBy", "cancel", "resumeHook", "record"],
  ["get", "events", "waitFor", "waitForEvents", "storageStats"],
);
export const IndexObject = metered(
  Cairn.IndexObject,
  "IndexObject",
  ["upsert", "remove", "staleRuns", "entries", "forget"],
  ["list"],
  { upsert: (summary) => (summary as { status: string }).status },
);
export const TriggerStateObject = metered(Cairn.TriggerStateObject, "TriggerStateObject", [
  "states",
  "setEnabled",
  "recordFire",
  "recordFailedDelivery",
  "failedDeliveries",
  "pollState",
  "setPollState",
]);
export const WorkflowObject = metered(Cairn.WorkflowObject, "WorkflowObject", [
  "create",
  "get",
  "list",
  "setEnabled",
  "remove",
  "beginFanOut",
  "advanceFanOut",
  "credentials",
]);
export const AgentSessionObject = metered(Cairn.AgentSessionObject, "AgentSessionObject", ["load", "append", "prompt"]);

export default {
  ...cairn,
  async queue(batch, env, ctx) {
    const m = workerMeter();
    m.requests++;
    return cairn.queue(batch, meteredEnv(env, m), ctx);
  },
  async scheduled(controller, env, ctx) {
    const m = workerMeter();
    m.requests++;
    return cairn.scheduled(controller, meteredEnv(env, m), ctx);
  },
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/bench/meter") {
      if (request.method === "DELETE") resetMeters();
      return Response.json(meterReport(url.searchParams.get("detail") === "1"));
    }
    const m = workerMeter();
    m.requests++;
    env = meteredEnv(env, m);
    const cf = await cfRoute(request, env as unknown as CfEnv);
    if (cf) return cf;
    const peer = await cfPeerRoute(request, env as unknown as CfPeerEnv);
    if (peer) return peer;
    const match = /^\/bench\/storage\/(run_[0-9a-f]{32})$/.exec(url.pathname);
    if (match) {
      const stub = env.RUNS.get(env.RUNS.idFromName(match[1]!));
      return Response.json(await stub.storageStats());
    }
    return cairn.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env, FanOutMessage>;
