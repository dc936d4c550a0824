// One pass of a run, after its object decided to drive it: replay the workflow against the log,
// then turn the outcome into the run's status and timers. A blocked run (decision 0018) is probed
// first: nothing executes and nothing is appended until a replay goes through cleanly.
import { openBlock, sameDivergence } from "../../sdk/engine/divergence.ts";
import { drive, type DriveOptions, type Wait } from "../../sdk/engine/driver.ts";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { flowSpecOf } from "../../sdk/engine/flow-spec.ts";
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";
import type { SqlEventLog } from "../log/sql-event-log.ts";
import { BLOCKED_FIRST_RECHECK_MS, BLOCKED_RECHECK_MS } from "../limits.ts";
import { callSites } from "./registry.ts";
import type { RunStore } from "./run-store.ts";
import type { RunStatus } from "./run-view.ts";
import { planSuspension } from "./suspension.ts";

/**
 * Drives one pass of `workflow` over `log` with `options`. `startedAt` is the run's first pass
 * time, kept on the row. Throws when the log failed to record (the store's memory is dropped, and
 * the alarm's retry replays from storage).
 */
export async function drivePass(
  store: RunStore,
  log: SqlEventLog,
  workflow: WorkflowDefinition,
  options: DriveOptions,
  startedAt: number,
): Promise<void> {
  const driveOptions: DriveOptions = { ...options, callSites: callSites() };
  try {
    const blocked = openBlock(log.events);
    if (blocked) {
      const probe = await drive(workflow, log, { ...driveOptions, probe: true });
      if (probe.status === "canceled") return;
      if (probe.status === "blocked") {
        // Still diverging: one record per reason, the timers and hooks left as they are.
        store.transaction(() => {
          if (!sameDivergence(blocked, probe.reason)) log.append({ type: "run_blocked", reason: probe.reason });
          store.rows.setStatus("blocked", null);
          armRecheck(store, log.events);
        });
        return;
      }
      log.append({ type: "run_unblocked" });
    }
    // A first pass's `running` is written with whatever the pass writes next (its suspension, its
    // end): should the pass be cut off, the run still reads never-started and its first drive runs
    // again. Flow control decides by that too (a held run is never started), so it writes it now.
    const firstPass = store.row()?.started_at == null;
    store.rows.setStatus("running", null, startedAt, firstPass && !flowSpecOf(workflow));
    const outcome = await drive(workflow, log, driveOptions);
    if (outcome.status === "suspended") suspend(store, outcome.waits, undefined, startedAt);
    else if (outcome.status === "blocked") {
      suspend(store, outcome.waits, "blocked", startedAt);
      store.transaction(() => armRecheck(store, log.events));
    }
  } catch (error) {
    // The log failed to record (the driver ended the pass): SQLite may have rolled back more
    // than the failed write, so the memory of this object is dropped and the alarm's retry
    // replays the run from storage.
    store.forget();
    throw error;
  }
}

/**
 * A blocked run tries its replay again by itself, so fixed code resumes it even where no cron runs
 * (`wrangler dev`): after a minute, then as long as it has been blocked, at most every
 * BLOCKED_RECHECK_MS. The sweep and a new deployment wake it sooner (decision 0018).
 */
function armRecheck(store: RunStore, events: readonly RunEvent[]): void {
  const blockedAt = events.findLast((e) => e.type === "run_blocked")?.at ?? Date.now();
  const delayMs = Math.min(Math.max(Date.now() - blockedAt, BLOCKED_FIRST_RECHECK_MS), BLOCKED_RECHECK_MS);
  store.timers.set("drive", "drive", Date.now() + delayMs);
}

/** Turns the pass's waits into timers and the status the run shows while it waits. */
function suspend(store: RunStore, waits: readonly Wait[], status: RunStatus | undefined, startedAt: number): void {
  if (isFinishedStatus(store.row()?.status)) return;
  const plan = planSuspension(waits);
  store.transaction(() => {
    for (const timer of plan.timers) store.timers.set(timer.key, timer.kind, timer.dueAt);
    store.rows.setStatus(status ?? plan.status, plan.wakeAt, startedAt);
  });
}
