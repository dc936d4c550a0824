// Timer lateness: N runs sleeping at once; each run's actual wake minus its own requested wake,
// both taken server-side (Cairn: `sleep_completed.at − sleep_started.wakeAt`; Cloudflare: the
// steps around the sleep, `after − before − ms`).
import { performance } from "node:perf_hooks";
import { pool } from "./client.ts";
import type { EngineDriver } from "./engines.ts";
import { round, type Summary, summarize } from "./stats.ts";

export interface TimerResult {
  /** First start sent → last start answered; below the sleep, all were asleep at once. */
  startSpanMs: number;
  latenessMs: Summary;
  early: number;
}

export async function timerLateness(engine: EngineDriver, sleeping: number, sleepMs: number): Promise<TimerResult> {
  const t0 = performance.now();
  const ids = await pool(
    Array.from({ length: sleeping }, (_, i) => i),
    50,
    () => engine.startSleep(sleepMs),
  );
  const startSpanMs = round(performance.now() - t0);
  // Read results only once the last run should have woken, so reading does not load the wakes.
  await new Promise((resolve) => setTimeout(resolve, sleepMs));
  const lateness = await pool(ids, 10, async (id) => {
    const { requested, woke } = await engine.sleepResult(id, sleepMs);
    return woke - requested;
  });
  return { startSpanMs, latenessMs: summarize(lateness), early: lateness.filter((ms) => ms < 0).length };
}
