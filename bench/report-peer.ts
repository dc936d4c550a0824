// BENCHMARKS.md sections for bench/peer-bench.ts (both engines, with Cairn's advantage where
// both have the concept), then the Load and Fan-out sections recorded by bench:load and
// bench:fan-out (bench/report-recorded.ts), so regenerating the file keeps them.
import type { EngineResults } from "./engine-bench.ts";
import type { PeerResults } from "./peer-bench.ts";
import type { StepProfile } from "./peer/profile.ts";
import { recordedSections } from "./report-recorded.ts";
import { leastSquares, round } from "./lib/stats.ts";

const n = (x: number) => x.toLocaleString("en");
const CF_CEILING = [
  "Locally, every step of a Cloudflare Workflows instance leaves a 10-minute step-timeout timer and a 5-minute",
  "grace-period timer running, and workerd allows 10,000 active timeouts per request context: an instance stops",
  "with `QuotaExceededError` (and the Worker restarts) between about 3,000 and 5,000 steps, depending on load. At",
  "~1.3 ms per step, 100,000 steps would also take over two minutes to record.",
].join("\n");
/** How many times less Cairn takes (or uses) than Cloudflare: cloudflare / cairn. */
const advantage = (cairn: number, cloudflare: number) => {
  if (!(cairn > 0)) return "n/a";
  const ratio = cloudflare / cairn;
  return `${ratio.toFixed(ratio < 1 ? 2 : 1)}×`;
};
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`);

function slopeUs(points: { steps: number; ms: number }[]): string {
  if (points.length < 2) return "n/a";
  const fit = leastSquares(points.map((p) => [p.steps, p.ms]));
  return `${round(fit.slope * 1000, 2)} µs/step + ${round(fit.intercept, 1)} ms`;
}

function replaySection({ replay }: PeerResults): string[] {
  const cloudflare = new Map(replay.cloudflare.map((p) => [p.steps, p]));
  const cfMax = Math.max(...replay.cloudflare.map((p) => p.steps));
  return [
    "## Replay after a restart, both engines",
    "",
    "Runs park after N recorded steps (Cairn on a hook, Cloudflare Workflows on `step.waitForEvent`), `wrangler dev`",
    "restarts on the same persist dir, then the resume is timed: every recorded step is loaded from SQLite and",
    "replayed. Cairn: the client's clock before `POST /hooks/:token` to the run's `finishedAt` (one machine, one",
    "clock; the run record read afterwards lists every step, and serialising it is not replay). Cloudflare: the",
    "`sendEvent` request until its instance is complete. Per step = total / N (fixed costs dominate the small sizes).",
    "",
    "| recorded steps | Cairn | Cairn per step (per event) | Cloudflare Workflows | Cloudflare per step | Cairn's advantage |",
    "| --- | --- | --- | --- | --- | --- |",
    ...replay.cairn.map((c) => {
      const f = cloudflare.get(c.steps);
      const perEvent = c.usPerEvent === undefined ? "" : ` (${c.usPerEvent} µs/event)`;
      return f
        ? `| ${n(c.steps)} | ${ms(c.ms)} | ${c.usPerStep} µs${perEvent} | ${ms(f.ms)} | ${f.usPerStep} µs | ${advantage(c.ms, f.ms)} |`
        : `| ${n(c.steps)} | ${ms(c.ms)} | ${c.usPerStep} µs${perEvent} | not run | | |`;
    }),
    "",
    `Linear fit (total = slope × steps + fixed): Cairn ${slopeUs(replay.cairn)}; Cloudflare ${slopeUs(replay.cloudflare)}.`,
    `Cloudflare's time includes \`get(id)\` before \`sendEvent\`, which locally reads the instance's whole log (${replay.cloudflare.map((p) => `${p.getMs} ms`).join(", ")}).`,
    `Cloudflare is not run beyond ${n(cfMax)} steps. ${CF_CEILING}`,
    ...replay.cloudflareFailed.map((f) => `Cloudflare at ${n(f.steps)} steps failed here: ${f.error}`),
    "",
  ];
}

function fanOutSection({ fanOut }: PeerResults): string[] {
  return [
    "## Fan-out: one invocation to N runs",
    "",
    "Cairn: one invocation of the `daily-digest-cron` trigger fans out through the Queue to N subscriptions of the",
    "subscribable `daily-digest` workflow (one step each); time from the client's clock before the invocation to",
    "the last run's `finishedAt` (one machine, one clock; the history is polled every 50 ms to know when they are",
    "all done). Cloudflare Workflows has no subscriptions; its nearest equivalent is one request creating N instances of",
    "a one-step workflow with `createBatch` (100 per call, its documented limit) and waiting until all complete.",
    "",
    "| runs | Cairn (trigger → all finished) | Cloudflare Workflows (createBatch → all complete) | Cairn's advantage |",
    "| --- | --- | --- | --- |",
    ...fanOut.map(
      (p) => `| ${n(p.runs)} | ${ms(p.cairnMs)} | ${ms(p.cloudflareMs)} | ${advantage(p.cairnMs, p.cloudflareMs)} |`,
    ),
    "",
    "The fan-out queue's consumer takes what is there at once (`max_batch_timeout = 0`: with 1 s, a 10-run",
    "fan-out took 1.1 s, waiting to fill a batch of 100). Larger fan-outs are bounded by run starts (see Fan-out",
    "below for 1,000–10,000 subscriptions).",
    "",
  ];
}

function storageSection({ storage }: PeerResults): string[] {
  return [
    "## Storage per step, measured on disk the same way for both",
    "",
    "Each run's (instance's) own Durable Object SQLite database under the persist dir, N payload steps minus 0 steps,",
    "divided by N, minus the payload. *Database* is the page count after the last commit × page size (what",
    "`ctx.storage.sql.databaseSize` reports, read from the WAL's commit frames); *files* are `.sqlite` + `.sqlite-wal`",
    "as they lie on disk before any checkpoint (the WAL holds every version of a page, so this overstates both).",
    "",
    "| payload | steps | Cairn database | Cairn `databaseBytes` | Cloudflare database | Cairn's advantage | Cairn files | Cloudflare files |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...storage.map(
      (p) =>
        `| ${n(p.payloadBytes)} B | ${n(p.steps)} | ${n(p.cairn.databasePerStep)} B | ${n(p.cairn.storageStatsPerStep)} B | ${n(p.cloudflare.databasePerStep)} B | ${advantage(p.cairn.databasePerStep, p.cloudflare.databasePerStep)} | ${n(p.cairn.filePerStep)} B | ${n(p.cloudflare.filePerStep)} B |`,
    ),
    "",
    "Cloudflare Workflows' local engine keeps each step's result in its key-value storage and again in its step log.",
    "Cairn's database figure includes SQLite's page slack: a 10 KB event row spills into 4 KiB overflow pages and leaves",
    "part of the last one empty (the event bytes themselves are the ~183 B per step of *Storage per step* above).",
    "",
  ];
}

function memorySection({ memory }: PeerResults): string[] {
  const cf = memory.cloudflare.find((p) => p.batch === 1 && p.openObjects >= p.runs);
  const rows = (["cairn", "cloudflare"] as const).flatMap((engine) =>
    memory[engine].map(
      (p) =>
        `| ${engine === "cairn" ? "Cairn" : "Cloudflare Workflows"} | ${n(p.runs)}${p.batch > 1 ? " (again)" : ""} | ${p.beforeMiB} MiB | ${p.parkedMiB} MiB | **${p.perRunMiB} MiB** | ${n(p.openObjects)} | ${n(p.stillParked)} | ${p.afterMiB} MiB | ${p.perRunMiB < 0.2 ? "met" : "**missed**"} |`,
    ),
  );
  return [
    "## Memory per parked run",
    "",
    "RSS of the `wrangler dev`'s workerd processes (VmRSS), a fresh server per engine: N runs sleeping at once (Cairn",
    `\`ctx.sleep\`, Cloudflare \`step.sleep\`), read after ${memory.idleSeconds} s idle (local workerd evicts idle Durable`,
    "Objects 10 s after their last request), then after all finished. Per run = (parked − before) / N, where *before*",
    "is the baseline, or for the second batch of the largest size the RSS after the first; target < 0.2 MiB.",
    "*Open* counts the runs' Durable Object databases workerd still held open when RSS was read.",
    "",
    "| engine | runs | before | parked | per parked run | open | still sleeping | after finished | < 0.2 MiB |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "Local workerd's allocator keeps freed memory, so RSS after the runs finished plateaus rather than falling back,",
    "and the first batch's figure includes what starting the runs took; the second batch shows what a parked run",
    "costs once that memory is there to reuse. 10,000 parked runs per engine: see *Memory per parked run at",
    "10,000* below (`npm run bench:parked`, too long for the default budget).",
    ...(cf
      ? [
          "Locally, Cloudflare's engine keeps every instance's database open, finished instances included: none is evicted.",
        ]
      : []),
    ...(memory.failed ?? []).map(
      (f) =>
        `${f.engine === "cairn" ? "Cairn" : "Cloudflare Workflows"} could not park ${n(f.runs)} runs here: ${f.error}`,
    ),
    "",
  ];
}

function largestSection(peer: PeerResults, largest: EngineResults["largest"]): string[] {
  const cf = peer.replay.cloudflareLargest;
  const at = (x: number) => round(x, 3);
  const row = (name: string, steps: number, total: number, p: StepProfile, vs: string) =>
    `| ${name} | ${n(steps)} | ${ms(total)} | ${at(p.startMs)} / ${at(p.middleMs)} / ${at(p.endMs)} ms (${n(p.window)} steps each) | ${vs} |`;
  return [
    "## Largest run: is the last step as cheap as the first?",
    "",
    "Mean time per step over the first, middle and last window of the run: Cairn from its events' `at` times,",
    "Cloudflare from `Date.now()` returned by each step (its largest replay instance, timed from create to its last step).",
    "",
    "| engine | steps | total | per step: start / middle / end | Cairn's advantage at the end |",
    "| --- | --- | --- | --- | --- |",
    row("Cairn", largest.steps, largest.ms, largest.profile, ""),
    ...(cf
      ? [row("Cloudflare Workflows", cf.steps, cf.ms, cf.profile, advantage(largest.profile.endMs, cf.profile.endMs))]
      : []),
    "",
    `Cloudflare is not measured at 100,000 steps, nor 10,000. ${CF_CEILING}`,
    "",
  ];
}

export function renderPeerSections(results: { peer?: PeerResults; engine: EngineResults }): string[] {
  const peer = results.peer;
  const sections = peer
    ? [
        ...replaySection(peer),
        ...fanOutSection(peer),
        ...storageSection(peer),
        ...memorySection(peer),
        ...largestSection(peer, results.engine.largest),
      ]
    : [];
  return [...sections, ...recordedSections()];
}
