// Throughput: a closed loop (N runs always in flight, each client starting the next run as soon
// as its last one finished) and an open-loop burst (every run fired at once).
import { performance } from "node:perf_hooks";
import type { EngineDriver } from "./engines.ts";
import { round, type Summary, summarize } from "./stats.ts";

/** Failed runs: counted, with the first message kept for the report. */
class Errors {
  private count = 0;
  private first?: string;

  add(error: unknown): void {
    this.count++;
    this.first ??= error instanceof Error ? error.message : String(error);
  }

  report(): { errors: number; firstError?: string } {
    return this.first === undefined ? { errors: 0 } : { errors: this.count, firstError: this.first.slice(0, 300) };
  }
}

export interface ClosedLoopCell {
  runs: number;
  errors: number;
  /** The first error's message, when there were errors. */
  firstError?: string;
  seconds: number;
  runsPerSecond: number;
  stepsPerSecond: number;
  latencyMs: Summary;
}

/**
 * `inFlight` clients each run back to back until `durationMs` passed and they ran `minRuns`
 * each (so a slow engine at 100 in flight is measured past its first wave); the last runs drain.
 */
export async function closedLoop(
  engine: EngineDriver,
  steps: number,
  inFlight: number,
  { durationMs, minRuns }: { durationMs: number; minRuns: number },
): Promise<ClosedLoopCell> {
  const latencies: number[] = [];
  const errors = new Errors();
  const t0 = performance.now();
  const deadline = t0 + durationMs;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let done = 0; done < minRuns || performance.now() < deadline; done++) {
        const start = performance.now();
        try {
          await engine.runSteps(steps);
          latencies.push(performance.now() - start);
        } catch (error) {
          errors.add(error); // counted and reported, not retried
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return {
    runs: latencies.length,
    ...errors.report(),
    seconds: round(seconds),
    runsPerSecond: round(latencies.length / seconds, 1),
    stepsPerSecond: round((latencies.length * steps) / seconds, 1),
    latencyMs: summarize(latencies),
  };
}

export interface BurstResult {
  errors: number;
  firstError?: string;
  /** First request sent → last run finished. */
  allFinishedMs: number;
  /** Each run's request → finished. */
  latencyMs: Summary;
  /** Slowest run's latency over the fastest's: how unevenly the engine served the burst. */
  maxMinRatio: number;
}

/** Fires `runs` runs of `steps` steps at once and waits for all of them. */
export async function burst(engine: EngineDriver, runs: number, steps: number): Promise<BurstResult> {
  const latencies: number[] = [];
  const errors = new Errors();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: runs }, async () => {
      const start = performance.now();
      try {
        await engine.runSteps(steps);
        latencies.push(performance.now() - start);
      } catch (error) {
        errors.add(error);
      }
    }),
  );
  const latencyMs = summarize(latencies);
  return {
    ...errors.report(),
    allFinishedMs: round(performance.now() - t0),
    latencyMs,
    maxMinRatio: round(latencyMs.max / Math.min(...latencies), 1),
  };
}
