// The periodic sweep (run from the Worker's cron): asks stale live runs to check themselves,
// so a run whose alarm was lost is found and re-driven.
import { type Env, historyIndex } from "../env.ts";
import { STALL_CHECK_AFTER_MS, STALL_CHECKS_PER_SWEEP } from "../limits.ts";

export async function sweepStalledRuns(env: Env, now = Date.now()): Promise<{ checked: number; recovered: string[] }> {
  const index = historyIndex(env);
  const runIds = await index.staleRuns(now - STALL_CHECK_AFTER_MS, STALL_CHECKS_PER_SWEEP);
  const recovered: string[] = [];
  for (const runId of runIds) {
    const verdict = await env.RUNS.get(env.RUNS.idFromName(runId)).watchdog();
    if (verdict === "recovered") recovered.push(runId);
  }
  return { checked: runIds.length, recovered };
}
