// The engine inside the real runtime: `wrangler dev` serving the bench Worker, driven over HTTP
// on loopback. Times come from the Node side, or from event timestamps where the runtime's own
// clock is the one that matters (wake lateness).
import { performance } from "node:perf_hooks";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient, pool } from "./lib/client.ts";
import { leastSquares, round, type Summary, summarize } from "./lib/stats.ts";
import { eventProfile, type StepProfile } from "./peer/profile.ts";

export interface EngineResults {
  stepSlope: { sizes: number[]; msPerStep: number; interceptMs: number };
  run1000: { ms: number; usPerStep: number };
  /** With the mean step time at its start, middle and end (from event timestamps). */
  largest: { steps: number; ms: number; profile: StepProfile };
  /** Measured by bench/peer/replay.ts, with Cloudflare's, and copied here by run.ts. */
  coldReplay: { steps: number; ms: number }[];
  greeting: { runs: number; concurrency: number; seconds: number; runsPerSecond: number };
  hookResume: { waiting: number; stuck: number; latencyMs: Summary };
  sleepLateness: { sleeping: number; latenessMs: Summary; early: number };
  storage: { payloadBytes: number; overheadBytesPerStep: number }[];
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, performance.now() - t0];
}

async function stepSlope(client: BenchClient, sizes: number[]) {
  await client.start("bench-steps", { steps: 10 }, 60);
  const points: [number, number][] = [];
  for (const steps of sizes) {
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [run, ms] = await timed(() => client.start("bench-steps", { steps }, 60));
      if (run.status !== "success") throw new Error(`bench-steps ${steps} ended ${run.status}`);
      samples.push(ms);
    }
    points.push([steps, Math.min(...samples)]);
  }
  const fit = leastSquares(points);
  return { sizes, msPerStep: round(fit.slope, 4), interceptMs: round(fit.intercept) };
}

async function largestRun(client: BenchClient, steps: number): Promise<EngineResults["largest"]> {
  const [run, ms] = await timed(async () => {
    const started = await client.start("bench-steps", { steps });
    let current = await client.get(started.runId, 60);
    while (!["success", "failed"].includes(current.status)) current = await client.get(started.runId, 60);
    return current;
  });
  if (run.status !== "success") throw new Error(`largest run ended ${run.status}`);
  return { steps, ms: round(ms), profile: await eventProfile(client, run.runId, steps) };
}

async function greetingThroughput(client: BenchClient, runs: number, concurrency: number) {
  await pool(
    Array.from({ length: 20 }, (_, i) => i),
    10,
    (i) => client.start("greeting", { name: `warm${i}` }, 30),
  );
  const [, ms] = await timed(() =>
    pool(
      Array.from({ length: runs }, (_, i) => i),
      concurrency,
      async (i) => {
        const run = await client.start("greeting", { name: `n${i}` }, 30);
        if (run.status !== "success") throw new Error(`greeting ended ${run.status}`);
      },
    ),
  );
  return { runs, concurrency, seconds: round(ms / 1000), runsPerSecond: round(runs / (ms / 1000), 1) };
}

async function hookResume(client: BenchClient, waiting: number) {
  let stuck = 0;
  const started = await pool(
    Array.from({ length: waiting }, (_, i) => i),
    20,
    async () => {
      const { runId } = await client.start("bench-hook", {});
      try {
        const run = await client.until(runId, ["waiting_on_hook"]);
        return { runId, token: run.hooks[0]!.token! };
      } catch {
        // Reported, not hidden: a run that did not reach its hook in time.
        stuck++;
        return undefined;
      }
    },
  );
  const runs = started.filter((r): r is { runId: string; token: string } => r !== undefined);
  const latencies: number[] = [];
  for (const { runId, token } of runs) {
    const t0 = Date.now();
    await client.resume(token);
    const run = await client.get(runId, 30);
    latencies.push(Date.parse(run.finishedAt!) - t0);
  }
  return { waiting, stuck, latencyMs: summarize(latencies) };
}

async function sleepLateness(client: BenchClient, sleeping: number) {
  const runs = await pool(
    Array.from({ length: sleeping }, (_, i) => i),
    20,
    async () => (await client.start("bench-sleep", { ms: 2_000 })).runId,
  );
  const lateness: number[] = [];
  let early = 0;
  for (const runId of runs) {
    await client.get(runId, 60);
    const { events } = await client.events(runId);
    const wakeAt = events.find((e) => e.type === "sleep_started")?.wakeAt ?? Number.NaN;
    const woke = events.find((e) => e.type === "sleep_completed")?.at ?? Number.NaN;
    if (woke < wakeAt) early++;
    lateness.push(woke - wakeAt);
  }
  return { sleeping, latenessMs: summarize(lateness), early };
}

async function storagePerStep(client: BenchClient, payloads: number[]) {
  const results: EngineResults["storage"] = [];
  const steps = 50;
  for (const bytes of payloads) {
    const run = await client.start("bench-payload", { steps, bytes }, 60);
    const stats = await client.json<{ eventBytes: number }>(`/bench/storage/${run.runId}`);
    const empty = await client.start("bench-payload", { steps: 0, bytes }, 60);
    const base = await client.json<{ eventBytes: number }>(`/bench/storage/${empty.runId}`);
    // JSON stores the payload once, as a string of `bytes` characters.
    results.push({
      payloadBytes: bytes,
      overheadBytesPerStep: round((stats.eventBytes - base.eventBytes) / steps - bytes, 1),
    });
  }
  return results;
}

export async function runEngineBench(
  quick: boolean,
  log: (line: string) => void,
): Promise<Omit<EngineResults, "coldReplay">> {
  const server = await startDevServer({ config: "bench/wrangler.bench.toml" });
  try {
    const client = new BenchClient(server.url);
    log("per-step slope");
    const sizes = quick ? [1, 10, 100] : [1, 10, 100, 500, 1000];
    const stepSlopeResult = await stepSlope(client, sizes);
    const [, ms1000] = await timed(() => client.start("bench-steps", { steps: 1000 }, 60));
    const [, ms1] = await timed(() => client.start("bench-steps", { steps: 1 }, 60));
    log("largest run");
    const largest = await largestRun(client, quick ? 5_000 : 100_000);
    log("greeting throughput");
    const greeting = await greetingThroughput(client, quick ? 100 : 1_000, 50);
    log("hook resume");
    const hooks = await hookResume(client, quick ? 20 : 1_000);
    log("sleep lateness");
    const sleeps = await sleepLateness(client, quick ? 10 : 100);
    log("storage per step");
    const storage = await storagePerStep(client, quick ? [0, 1024] : [0, 1024, 10_240, 102_400]);
    return {
      stepSlope: stepSlopeResult,
      run1000: { ms: round(ms1000), usPerStep: round(((ms1000 - ms1) * 1000) / 999, 1) },
      largest,
      greeting,
      hookResume: hooks,
      sleepLateness: sleeps,
      storage,
    };
  } finally {
    await server.stop();
  }
}
