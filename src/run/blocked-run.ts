// Waking a blocked run (decision 0018): the sweep, a new deployment and `POST /runs/:id/retry` ask
// it to try its replay again. The next pass probes the code first and unblocks only on a clean replay.
import { fail, type Result } from "./result.ts";
import type { RunStore } from "./run-store.ts";
import type { RunStatus } from "./run-view.ts";

/**
 * Arms a pass now for a blocked run; any other status is `run_not_blocked` (409), with the status.
 * Appends nothing: a blocked run's log only grows once a replay goes through.
 */
export async function redriveBlocked(store: RunStore): Promise<Result<{ runId: string; status: RunStatus }>> {
  const result = await store.atomically((): Result<{ runId: string; status: RunStatus }> => {
    const row = store.row();
    if (!row) return fail("run_not_found", "no run with this id");
    if (row.status !== "blocked")
      return fail("run_not_blocked", `the run is ${row.status}, not blocked`, { status: row.status });
    store.timers.set("drive", "drive", Date.now());
    return { ok: true, value: { runId: row.id, status: row.status } };
  });
  if (result.ok) await store.timers.rearm();
  return result;
}
