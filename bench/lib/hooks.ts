// Hook resume latency: N runs waiting on a hook (Cairn) or an event (Cloudflare); a sample of
// them is resumed one at a time while all the others keep waiting, each timed from the client's
// Date.now() before the resume request to the run's finish time on the server clock.
import { performance } from "node:perf_hooks";
import { pool } from "./client.ts";
import type { EngineDriver } from "./engines.ts";
import { round, type Summary, summarize } from "./stats.ts";

export interface HookResult {
  /** Time to get all N runs waiting. */
  setupMs: number;
  latencyMs: Summary;
}

/**
 * Local Workflows report `running` while waiting for an event, so readiness is the recorded
 * step just before `waitForEvent`; SETTLE_MS lets the instance register its waiter (an event
 * sent before that is queued and would be consumed without waiting).
 */
export const SETTLE_MS = 250;

export async function hookResume(engine: EngineDriver, waiting: number, sample: number): Promise<HookResult> {
  const t0 = performance.now();
  const runs = await pool(
    Array.from({ length: waiting }, (_, i) => i),
    50,
    () => engine.startWaiting(),
  );
  const setupMs = round(performance.now() - t0);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const latencies: number[] = [];
  // Spread the sample over the whole set, so early and late starters are both resumed.
  const count = Math.min(sample, runs.length);
  for (let k = 0; k < count; k++) {
    const run = runs[Math.floor((k * runs.length) / count)]!;
    const t0 = Date.now();
    latencies.push((await engine.resume(run)) - t0);
  }
  return { setupMs, latencyMs: summarize(latencies) };
}
