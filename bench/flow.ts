// `npm run bench:flow [-- --runs N] [-- --wakes M] [-- --record]`: what flow control costs on
// `wrangler dev` (the examples Worker). (1) Start → finish of a 1-step run, unlimited (`greeting`)
// vs concurrency-limited (`limited-sync`, a fresh key each run so it never waits: the gate's own
// cost), alternating, N each, client clock. (2) How soon a queued run starts after a slot frees:
// two runs hold a key's 2 slots, a third queues; from the first freed slot's `run_completed` to
// the queued run's `run_admitted` (server clock, both events' `at`), M samples. --record keeps the
// result in bench/results/flow.json and writes the "Flow control" section of BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient } from "./lib/client.ts";
import { round } from "./lib/stats.ts";
import { recordResult, writeKeptSection } from "./report-recorded.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback;
const runs = option("--runs", 100);
const wakes = option("--wakes", 30);
const WAKE_TARGET_MS = 20;

interface Quantiles {
  p50: number;
  p95: number;
}
export interface FlowRecord {
  runs: number;
  wakes: number;
  unlimitedMs: Quantiles;
  limitedMs: Quantiles;
  wakeMs: Quantiles;
  /** Samples where no run was queued (a holder finished before the third start): not counted. */
  wakeSkipped: number;
  loadAverage: number;
  measuredAt: string;
}

function quantiles(samples: number[]): Quantiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: round(at(0.5), 1), p95: round(at(0.95), 1) };
}

const log = (line: string) => process.stderr.write(`flow: ${line}\n`);
const eventAt = (events: { type: string; at: number }[], type: string) => events.find((e) => e.type === type)?.at;

execFileSync(process.execPath, ["bin/cairn.mjs", "generate", "examples"]);
const loadAverage = round(loadavg()[0]!, 1);
const server = await startDevServer();
let record: FlowRecord;
try {
  const client = new BenchClient(server.url);
  const limited = (account: string, workMs: number, wait?: number) =>
    client.start("limited-sync", { account, workMs }, wait);
  for (let i = 0; i < 5; i++) {
    await client.start("greeting", { name: `warm-${i}` }, 10);
    await limited(`warm-${i}`, 0, 10);
  }

  log(`start → finish, ${runs} runs each, alternating`);
  const unlimited: number[] = [];
  const limitedMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    const a = await client.start("greeting", { name: `bench-${i}` }, 10);
    unlimited.push(performance.now() - t0);
    t0 = performance.now();
    const b = await limited(`bench-${i}`, 0, 10);
    limitedMs.push(performance.now() - t0);
    if (a.status !== "success" || b.status !== "success") throw new Error(`run not finished: ${a.status}/${b.status}`);
  }

  log(`queued run admitted after a slot frees, ${wakes} samples`);
  const wakeMs: number[] = [];
  let wakeSkipped = 0;
  for (let i = 0; i < wakes; i++) {
    const key = `wake-${i}-${Date.now()}`;
    // Started one after another; the holders work long enough that the third finds both slots
    // taken. Roles are read from the events all the same: the queued one is whichever queued.
    const trio = [await limited(key, 400), await limited(key, 800), await limited(key, 0)];
    for (const run of trio) await client.get(run.runId, 20);
    const events = await Promise.all(trio.map(async (run) => (await client.events(run.runId)).events));
    const queued = events.findIndex((list) => list.some((e) => e.type === "run_queued"));
    const admitted = queued < 0 ? undefined : eventAt(events[queued]!, "run_admitted");
    const completions = events
      .filter((_, j) => j !== queued)
      .map((list) => eventAt(list, "run_completed"))
      .filter((at): at is number => at !== undefined);
    // The slot that let it in is the first one freed.
    const freed = completions.length === 2 ? Math.min(...completions) : undefined;
    if (admitted === undefined || freed === undefined) {
      wakeSkipped++;
      continue;
    }
    wakeMs.push(admitted - freed);
  }

  record = {
    runs,
    wakes,
    unlimitedMs: quantiles(unlimited),
    limitedMs: quantiles(limitedMs),
    wakeMs: quantiles(wakeMs),
    wakeSkipped,
    loadAverage,
    measuredAt: new Date().toISOString().slice(0, 10),
  };
} finally {
  await server.stop();
}

console.log(JSON.stringify(record, null, 2));
if (args.includes("--record")) {
  recordResult<FlowRecord>("flow.json", "runs", record);
  writeKeptSection("3-flow.md", section(record));
}

/** The BENCHMARKS.md section for one record. */
function section(r: FlowRecord): string[] {
  const overhead = (q: keyof Quantiles) => round(r.limitedMs[q] - r.unlimitedMs[q], 1);
  return [
    "## Flow control (`npm run bench:flow -- --record`)",
    "",
    `1-step runs on \`wrangler dev\`, start → finished answer (\`POST ?wait\`, client clock), ${r.runs} of each,`,
    "alternating: `greeting` (no flow control) vs `limited-sync` (`concurrency: { limit: 2, key }`, a fresh key",
    "per run, so it never waits: the cost of the gate itself). Wake-up: two runs hold a key's 2 slots and a",
    "third queues; from the first holder's `run_completed` to the queued run's `run_admitted` (server clock;",
    "samples where a holder finished before the third start are dropped).",
    "",
    "| measure | p50 | p95 | target |",
    "| --- | --- | --- | --- |",
    `| start → finish, unlimited | ${r.unlimitedMs.p50} ms | ${r.unlimitedMs.p95} ms | |`,
    `| start → finish, concurrency-limited | ${r.limitedMs.p50} ms | ${r.limitedMs.p95} ms | |`,
    `| overhead of the limit | ${overhead("p50")} ms | ${overhead("p95")} ms | |`,
    `| queued run admitted after a slot frees (${r.wakes - r.wakeSkipped} samples) | ${r.wakeMs.p50} ms | ${r.wakeMs.p95} ms | p50 < ${WAKE_TARGET_MS} ms: ${r.wakeMs.p50 < WAKE_TARGET_MS ? "met" : "**missed**"} |`,
    "",
    `Measured ${r.measuredAt} with a 1-minute load average of ${r.loadAverage} on a 2-core machine` +
      `${r.loadAverage > 2 ? " (busy: other work was running; re-measure on a quiet machine)" : ""}.`,
    "",
  ];
}
