// The replay check: would this code replay a recorded run cleanly? The pure driver replays the
// run's log in probe mode (nothing executes, nothing is appended) and reports the first call that
// differs from the recorded one (decision 0018). `cairn replay` runs it over downloaded logs.
import type { WorkflowDefinition } from "../workflow-types.ts";
import { drive } from "./driver.ts";
import { MemoryEventLog } from "./event-log.ts";
import type { Divergence, RunEvent } from "./events.ts";

/** A clean replay, or the divergence that would block the run. */
export type ReplayCheckResult = { ok: true } | { ok: false; reason: Divergence };

export interface ReplayCheckOptions {
  /**
   * Every call-site id of the code under test (the registry's `callSites()`): a recorded step
   * whose site is gone from it is taken for an edited call (decision 0016). Without it, none is.
   */
  callSites?: ReadonlySet<string>;
}

/** Events that end or mark a run: the check replays the code as if the run were still live. */
const SKIPPED: ReadonlySet<RunEvent["type"]> = new Set([
  "run_completed",
  "run_failed",
  "run_canceled",
  "run_retried",
  "run_blocked",
  "run_unblocked",
]);

/**
 * Replays `events` (a run's whole log, finished or live) against `workflow` without executing
 * anything, and says whether the code still makes every recorded call.
 * @example
 * const result = await checkReplay(orderWorkflow, history.events, { callSites: registry.callSites() });
 * if (!result.ok) console.error(result.reason.stepId, result.reason.diff.join("\n"));
 */
export async function checkReplay(
  workflow: WorkflowDefinition,
  events: readonly RunEvent[],
  options: ReplayCheckOptions = {},
): Promise<ReplayCheckResult> {
  // A finished run's log replays its recorded outcome without running any code: leave the end out.
  const log = new MemoryEventLog({ events: events.filter((event) => !SKIPPED.has(event.type)) });
  const outcome = await drive(workflow, log, {
    runId: "replay-check",
    probe: true,
    ...(options.callSites ? { callSites: options.callSites } : {}),
  });
  return outcome.status === "blocked" ? { ok: false, reason: outcome.reason } : { ok: true };
}
