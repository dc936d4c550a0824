// `npm run bench:cost [-- --runs N] [-- --record]`: what a run costs on Cloudflare, from counts
// measured on `wrangler dev` by the bench Worker's metered objects (bench/object-meter.ts):
// Durable Object requests, SQLite rows read and written, setAlarm calls, R2 and Queue operations,
// active time, storage; beside Cloudflare Workflows' local CPU time for the same runs, priced with
// bench/pricing.ts. Also times how long a step waiting 30 s on a model call holds its run's object.
// --record keeps the result in bench/results/cost.json.
import { createServer } from "node:http";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient, pool } from "./lib/client.ts";
import { frozenBenchConfig } from "./lib/frozen-worker.ts";
import { workerdCpuMs } from "./lib/workerd-rss.ts";
import type { ClassReport, MeterReport } from "./meter-report.ts";
import { cloudflare as cf, inngest, PRICES_READ_ON, temporal } from "./pricing.ts";
import { recordResult } from "./report-recorded.ts";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] ?? "") || 20;
const SLEEP_MS = 15_000; // past local workerd's 10 s idle eviction: the run wakes in a new object
const MODEL_DELAY_MS = 30_000;
/** Starts before measuring: with 16 history shards, 128 random runs leave one untouched 4 times in 1,000. */
const WARM_UP_RUNS = 128;

const kinds = [
  { name: "1 step", slug: "bench-steps", input: { steps: 1 }, steps: 1, sleeps: 0 },
  { name: "10 steps", slug: "bench-steps", input: { steps: 10 }, steps: 10, sleeps: 0 },
  { name: "10 steps + a sleep", slug: "bench-steps-sleep", input: { steps: 10, ms: SLEEP_MS }, steps: 10, sleeps: 1 },
];

const per = (n: number) => Math.round((n / runs) * 100) / 100;
const empty = {
  requests: 0,
  rowsRead: 0,
  rowsWritten: 0,
  setAlarms: 0,
  activeMs: 0,
  r2: {} as Record<string, number>,
  queueMessages: 0,
};

/** Per-run counts of one class (zeros when the class was not reached). */
function perRun(c: Partial<ClassReport> | undefined) {
  const x = { ...empty, ...c };
  return {
    requests: per(x.requests),
    rowsRead: per(x.rowsRead),
    rowsWritten: per(x.rowsWritten),
    setAlarms: per(x.setAlarms),
    activeMs: per(x.activeMs),
    r2: Object.values(x.r2).reduce((a: number, b: number) => a + b, 0) / runs,
    queueMessages: per(x.queueMessages),
  };
}

/** Dollars per million runs, item by item (30 days of retention for stored bytes). */
function cairnCost(m: {
  workerRequests: number;
  objectRequests: number;
  activeMs: number;
  rowsRead: number;
  rowsWritten: number;
  r2: number;
  queueMessages: number;
  storedBytes: number;
  cpuMs: number;
}) {
  const items = {
    workerRequests: m.workerRequests * cf.workerRequestPerMillion,
    workerCpu: m.cpuMs * cf.workerCpuPerMillionMs,
    objectRequests: m.objectRequests * cf.objectRequestPerMillion,
    duration: (m.activeMs / 1000) * cf.objectMemoryGb * cf.objectGbSecondPerMillion,
    rowsRead: m.rowsRead * cf.rowsReadPerMillion,
    rowsWritten: m.rowsWritten * cf.rowsWrittenPerMillion,
    r2: m.r2 * cf.r2ClassAPerMillion,
    queue: m.queueMessages * cf.queueOperationsPerMessage * cf.queueOperationPerMillion,
    storage: (m.storedBytes / 1e9) * cf.storedGbMonth * 1e6,
  };
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    items: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, round(v)])),
    total: round(Object.values(items).reduce((a, b) => a + b, 0)),
  };
}

/** One Cloudflare Workflows instance of `steps` steps, to its end; local dev's 503 restarts are retried. */
async function cfSteps(client: BenchClient, steps: number) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.json("/bench/cf/steps?wait", { method: "POST", body: JSON.stringify({ steps }) });
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("503")) throw error;
    }
  }
}

const server = await startDevServer({ config: frozenBenchConfig() });
try {
  const client = new BenchClient(server.url);
  // Warm-up: enough runs that every history shard has created its tables (once per deployment,
  // not per run), so the phases below count steady-state rows only.
  await pool(
    Array.from({ length: WARM_UP_RUNS }, (_, i) => i),
    20,
    () => client.start("bench-steps", { steps: 1 }, 30),
  );
  await cfSteps(client, 1);
  const results = [];
  for (const kind of kinds) {
    await client.json("/bench/meter", { method: "DELETE" });
    const cpu0 = workerdCpuMs(server.port);
    const ids = await pool(
      Array.from({ length: runs }, (_, i) => i),
      Math.min(runs, 20),
      async () => {
        const run = await client.start(kind.slug, kind.input, 60);
        if (run.status !== "success") throw new Error(`${kind.name}: run ${run.runId} ${run.status}`);
        return run.runId;
      },
    );
    const cpuMs = (workerdCpuMs(server.port) - cpu0) / runs;
    const meter = await client.json<MeterReport>("/bench/meter");
    const size = await client.json<{ databaseBytes?: number }>(`/bench/storage/${ids[0]}`);
    const run = perRun(meter.classes.RunObject);
    const history = perRun(meter.classes.IndexObject);
    const worker = perRun(meter.classes.worker);
    const counts = {
      workerRequests: worker.requests,
      objectRequests: run.requests + history.requests,
      activeMs: run.activeMs + history.activeMs,
      rowsRead: run.rowsRead + history.rowsRead,
      rowsWritten: run.rowsWritten + history.rowsWritten + run.setAlarms,
      r2: run.r2 + history.r2 + worker.r2,
      queueMessages: run.queueMessages + worker.queueMessages,
      storedBytes: (size.databaseBytes ?? 0) + 300, // + its history row with indexes (docs/scaling.md)
      cpuMs: Math.round(cpuMs * 100) / 100,
    };

    const cfCpu0 = workerdCpuMs(server.port);
    if (kind.sleeps === 0)
      await pool(
        Array.from({ length: runs }, (_, i) => i),
        Math.min(runs, 20),
        async () => cfSteps(client, kind.steps),
      );
    const cfCpuMs = kind.sleeps === 0 ? Math.round(((workerdCpuMs(server.port) - cfCpu0) / runs) * 100) / 100 : null;
    results.push({
      kind: kind.name,
      runs,
      run,
      history,
      worker,
      counts,
      rowsWrittenPerStep: kind.steps ? Math.round(((run.rowsWritten + run.setAlarms) / kind.steps) * 100) / 100 : null,
      // What the run object's rows are, per run: statement by statement, and its setAlarm calls.
      runWritesBy: Object.fromEntries(
        Object.entries(meter.classes.RunObject?.writesBy ?? {}).map(([label, n]) => [label, per(n)]),
      ),
      cairn: cairnCost(counts),
      cloudflareWorkflows: {
        localCpuMsPerRun: cfCpuMs,
        invocations: 1,
      },
      temporalActions: 1 + kind.steps + kind.sleeps,
      inngestExecutions: inngest.executionsPerRun(kind.steps, kind.sleeps),
      temporalPerMillion: (1 + kind.steps + kind.sleeps) * temporal.actionPerMillion,
    });
  }

  // A step that waits 30 s on a model call: how long its run's object stays active.
  const slow = createServer((req, res) => {
    req.resume();
    setTimeout(() => res.end(JSON.stringify({ ok: true })), MODEL_DELAY_MS);
  });
  await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
  const address = slow.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/v1/chat/completions`;
  /** How long the run's object is held while one call waits, in its object or offloaded (decision 0023). */
  const holdOf = async (slug: string) => {
    await client.json("/bench/meter", { method: "DELETE" });
    const slowRun = await client.start(slug, { url }, 60);
    const slowMeter = await client.json<MeterReport>("/bench/meter");
    const held = slowMeter.classes.RunObject?.activeMs ?? 0;
    return {
      status: slowRun.status,
      objectActiveMs: held,
      objectRequests: slowMeter.classes.RunObject?.requests ?? 0,
      rowsWritten: (slowMeter.classes.RunObject?.rowsWritten ?? 0) + (slowMeter.classes.RunObject?.setAlarms ?? 0),
      queueMessages: slowMeter.classes.RunObject?.queueMessages ?? 0,
      gbSeconds: Math.round((held / 1000) * cf.objectMemoryGb * 1000) / 1000,
      dollarsPerMillionCalls: Math.round((held / 1000) * cf.objectMemoryGb * cf.objectGbSecondPerMillion * 100) / 100,
    };
  };
  const modelWait = {
    modelDelayMs: MODEL_DELAY_MS,
    ...(await holdOf("bench-slow-call")),
    offloaded: await holdOf("bench-slow-call-offloaded"),
  };
  slow.close();
  const result = { runs, pricesReadOn: PRICES_READ_ON, results, modelWait };
  console.log(JSON.stringify(result, null, 2));
  if (args.includes("--record")) recordResult("cost.json", "runs", result);
} finally {
  await server.stop();
}
