// Cairn and Cloudflare Workflows side by side, both served by one `wrangler dev`, same client,
// same work, alternating A/B: per-step slope, run start latency, closed-loop throughput, an
// open-loop burst, timer lateness and hook/event resume latency at several sizes. Each phase gets
// a fresh `wrangler dev`: local workerd runs out of SQLite memory after a few thousand runs, and
// one engine's runs left waiting must not load the other's turn.
import { rmSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { type DevServer, startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient, pool } from "./lib/client.ts";
import { drivers, ENGINES, type Engine, type EngineDriver } from "./lib/engines.ts";
import { type HookResult, hookResume, SETTLE_MS } from "./lib/hooks.ts";
import { type RunStart, runStartLatency } from "./lib/run-start.ts";
import { leastSquares, round, type Summary, summarize } from "./lib/stats.ts";
import { type BurstResult, burst, type ClosedLoopCell, closedLoop } from "./lib/throughput.ts";
import { type TimerResult, timerLateness } from "./lib/timers.ts";

export type { Engine };
type PerEngine<T> = Record<Engine, T>;

export interface Comparison {
  slope: PerEngine<{ msPerStep: number; interceptMs: number }>;
  /** 1-step run, request → finished (the `finishedMs` of `runStart`). */
  oneStepLatency: PerEngine<Summary>;
  /** 10-step runs at 10 in flight (a cell of `closedLoop`). */
  throughput: PerEngine<{ inFlight: number; runs: number; runsPerSecond: number; stepsPerSecond: number }>;
  /** 2 s sleep, client-side: finished − request − 2 s. */
  sleepLateness: PerEngine<Summary>;
  /** Hook / event resume → finished with 10 waiting (that level of `hooks`). */
  resumeLatency: PerEngine<Summary>;
  runStart: RunStart;
  closedLoop: { steps: number; inFlight: number; results: PerEngine<ClosedLoopCell> }[];
  burst: { runs: number; steps: number; results: PerEngine<BurstResult> };
  timers: { sleeping: number; sleepMs: number; results: PerEngine<TimerResult> }[];
  hooks: { waiting: number; sample: number; results: PerEngine<HookResult> }[];
}

const SIZES = {
  default: {
    slope: [1, 10, 100, 250, 500],
    startSamples: 50,
    sleeping: 20,
    inFlight: [1, 10, 50, 100],
    loop: { durationMs: 2_500, minRuns: 3 },
    burst: 500,
    timers: [10, 100, 1_000],
    /** Long enough that every run is asleep before the first wakes (1,000 starts take ~12 s here). */
    timerSleepMs: (sleeping: number) => Math.max(5_000, sleeping * 20),
    hooks: [10, 100, 1_000],
    hookSample: 100,
  },
  quick: {
    slope: [1, 10, 50],
    startSamples: 5,
    sleeping: 5,
    inFlight: [1, 10],
    loop: { durationMs: 200, minRuns: 1 },
    burst: 20,
    timers: [5, 10],
    timerSleepMs: (_sleeping: number) => 1_000,
    hooks: [5, 10],
    hookSample: 10,
  },
};
type Sizes = typeof SIZES.default;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

/** Every operation the bench times, once or a few times, so no phase pays first-call costs. */
async function warmUp(engine: EngineDriver) {
  await engine.runSteps(5);
  await pool([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, () => engine.runSteps(1));
  await engine.sleepResult(await engine.startSleep(10), 10);
  const waiting = await engine.startWaiting();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  await engine.resume(waiting);
}

/** Whether `wrangler dev` restarted the runtime (a source file changed), failing requests in flight. */
const restarted = (logs: string) =>
  logs.includes("Reloading local server") || logs.split("Starting local server").length > 2;

/** Keeps the `wrangler dev` output of a phase in which the runtime reported errors, and says where. */
function keepLogsOnErrors(server: DevServer, log: (line: string) => void) {
  const logs = server.logs();
  if (!/\[ERROR\]|exception =/.test(logs)) return;
  const path = `${server.persistDir}.log`;
  writeFileSync(path, logs);
  log(`compare: wrangler dev reported errors in this phase; its output is in ${path}`);
}

/**
 * Runs `work` against a fresh `wrangler dev` (own state directory), warmed up, then stops it.
 * A phase that failed, or during which `wrangler dev` reloaded (someone edited a source file,
 * failing the requests in flight), gets one more try.
 */
async function withServer<T>(
  work: (engines: PerEngine<EngineDriver>, client: BenchClient) => Promise<T>,
  log: (line: string) => void,
  attempts = 2,
): Promise<T> {
  const server = await startDevServer({ config: "bench/wrangler.bench.toml" });
  try {
    const client = new BenchClient(server.url);
    const engines = drivers(client);
    for (const engine of ENGINES) await warmUp(engines[engine]);
    const result = await work(engines, client);
    if (!restarted(server.logs())) return result;
    if (attempts <= 1) {
      log("compare: wrangler dev reloaded during this phase again; keeping its results");
      return result;
    }
    log("compare: wrangler dev reloaded during this phase (a source file changed); again on a fresh one");
  } catch (error) {
    if (attempts <= 1) throw error;
    log(`compare: ${error instanceof Error ? error.message : error}; again on a fresh wrangler dev`);
  } finally {
    keepLogsOnErrors(server, log);
    await server.stop();
    rmSync(server.persistDir, { recursive: true, force: true });
  }
  return withServer(work, log, attempts - 1);
}

type Fresh = <T>(work: (engines: PerEngine<EngineDriver>, client: BenchClient) => Promise<T>) => Promise<T>;

async function perEngine<T>(work: (engine: Engine) => Promise<T>, sequence = ENGINES): Promise<PerEngine<T>> {
  const results = {} as PerEngine<T>;
  for (const engine of sequence) results[engine] = await work(engine);
  return results;
}

async function stepSlope(engines: PerEngine<EngineDriver>, sizes: number[]) {
  const points: PerEngine<[number, number][]> = { cairn: [], cloudflare: [] };
  for (const steps of sizes) {
    for (let rep = 0; rep < 2; rep++)
      for (const engine of ENGINES) points[engine].push([steps, await timed(() => engines[engine].runSteps(steps))]);
  }
  return perEngine(async (e) => {
    const fit = leastSquares(points[e]);
    return { msPerStep: round(fit.slope, 4), interceptMs: round(fit.intercept) };
  });
}

/** Client-side: request → finished answer − sleep, both engines sleeping at once. */
async function clientSleepLateness(client: BenchClient, sleeping: number): Promise<PerEngine<Summary>> {
  const sleepMs = 2_000;
  const lateness: PerEngine<number[]> = { cairn: [], cloudflare: [] };
  const each = (work: () => Promise<unknown>, into: number[]) =>
    pool(
      Array.from({ length: sleeping }, (_, i) => i),
      sleeping,
      async () => {
        const t0 = Date.now();
        await work();
        into.push(Date.now() - t0 - sleepMs);
      },
    );
  const post = (path: string, body: unknown) =>
    client.json(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  await Promise.all([
    // One request each, as Cloudflare's: the start waits for the run's end (`?wait`).
    each(() => client.start("bench-sleep", { ms: sleepMs }, 60), lateness.cairn),
    each(() => post("/bench/cf/sleep?wait", { ms: sleepMs }), lateness.cloudflare),
  ]);
  return { cairn: summarize(lateness.cairn), cloudflare: summarize(lateness.cloudflare) };
}

/** Failed runs are counted in the results; say so while the bench runs, too. */
function warnOnErrors(results: PerEngine<{ errors: number; firstError?: string }>, log: (line: string) => void) {
  for (const engine of ENGINES) {
    const { errors, firstError } = results[engine];
    if (errors) log(`compare: ${engine}: ${errors} runs failed, first: ${firstError}`);
  }
}

/** The engine order for the i-th measurement: A/B, then B/A, so drift does not favour one. */
const order = (i: number): Engine[] => (i % 2 === 0 ? ENGINES : [...ENGINES].reverse());

/** Each cell on a fresh server: a few thousand finished runs exhaust local workerd's SQLite memory. */
async function closedLoopGrid(sizes: Sizes, fresh: Fresh, log: (line: string) => void) {
  const grid: Comparison["closedLoop"] = [];
  for (const steps of [1, 10]) {
    for (const inFlight of sizes.inFlight) {
      log(`compare: closed loop, ${steps}-step runs, ${inFlight} in flight`);
      const results = await fresh((engines) =>
        perEngine((e) => closedLoop(engines[e], steps, inFlight, sizes.loop), order(grid.length)),
      );
      warnOnErrors(results, log);
      grid.push({ steps, inFlight, results });
    }
  }
  return grid;
}

export async function runComparison(quick: boolean, log: (line: string) => void): Promise<Comparison> {
  const sizes = quick ? SIZES.quick : SIZES.default;
  const fresh: Fresh = (work) => withServer(work, log);
  const first = await fresh(async (engines, client) => {
    log("compare: per-step slope");
    const slope = await stepSlope(engines, sizes.slope);
    log("compare: run start latency");
    const runStart = await runStartLatency(engines, sizes.startSamples);
    log("compare: sleep lateness (client-side)");
    const sleepLateness = await clientSleepLateness(client, sizes.sleeping);
    return { slope, runStart, sleepLateness };
  });
  const closedLoop = await closedLoopGrid(sizes, fresh, log);

  log(`compare: burst of ${sizes.burst}`);
  const burstResults = await perEngine((e) => fresh((engines) => burst(engines[e], sizes.burst, 1)));
  warnOnErrors(burstResults, log);

  const timers: Comparison["timers"] = [];
  for (const sleeping of sizes.timers) {
    log(`compare: timer lateness, ${sleeping} sleeping`);
    const sleepMs = sizes.timerSleepMs(sleeping);
    const results = await perEngine(
      (e) => fresh((engines) => timerLateness(engines[e], sleeping, sleepMs)),
      order(timers.length),
    );
    timers.push({ sleeping, sleepMs, results });
  }

  // The runs not in the sample keep waiting, so each engine gets its own server per level.
  const hooks: Comparison["hooks"] = [];
  for (const waiting of sizes.hooks) {
    log(`compare: hook resume, ${waiting} waiting`);
    const results = await perEngine(
      (e) => fresh((engines) => hookResume(engines[e], waiting, sizes.hookSample)),
      order(hooks.length),
    );
    hooks.push({ waiting, sample: Math.min(waiting, sizes.hookSample), results });
  }

  const tenWaiting = hooks.find((h) => h.waiting === 10) ?? hooks[0]!;
  const tenByTen = closedLoop.find((c) => c.steps === 10 && c.inFlight === 10) ?? closedLoop.at(-1)!;
  return {
    slope: first.slope,
    oneStepLatency: { cairn: first.runStart.cairn.finishedMs, cloudflare: first.runStart.cloudflare.finishedMs },
    throughput: await perEngine(async (e) => ({ inFlight: tenByTen.inFlight, ...tenByTen.results[e] })),
    sleepLateness: first.sleepLateness,
    resumeLatency: { cairn: tenWaiting.results.cairn.latencyMs, cloudflare: tenWaiting.results.cloudflare.latencyMs },
    runStart: first.runStart,
    closedLoop,
    burst: { runs: sizes.burst, steps: 1, results: burstResults },
    timers,
    hooks,
  };
}
