// Which events of a finished run a retry copies into its new run (the seed), so the new run's
// replay returns the recorded results of the steps that succeeded and executes the rest.
import type { NewRunEvent, RunEvent } from "../../sdk/engine/events.ts";
import { fail, type Result } from "./result.ts";

/** The events that end a step successfully: a step with one of them is replayed, not executed. */
const SUCCEEDED = new Set<RunEvent["type"]>(["step_completed", "sleep_completed", "hook_resumed"]);

/**
 * The seed of a retry: every event of each step that succeeded before the cut, in log order,
 * without `seq` and `at` (the new log numbers and dates them). The cut is the first event of
 * `fromStep` (that step and everything recorded after it execute again), or the end of the log.
 * A step that did not succeed before the cut (failed, retrying, sleeping, waiting, timed out)
 * leaves no event behind, so it executes again from attempt 1. Run-level events (the start, the
 * terminal event, audit records) are never copied: the new run writes its own.
 *
 * Without `fromStep`, a step whose failure the workflow caught executes again as well.
 * @example retrySeed(old.events) // completed steps of the failed run, ready for `start({ seed })`
 */
export function retrySeed(events: readonly RunEvent[], fromStep?: string): Result<NewRunEvent[]> {
  let cut = events.length;
  if (fromStep !== undefined) {
    cut = events.findIndex((event) => "stepId" in event && event.stepId === fromStep);
    if (cut < 0) return fail("step_not_found", `the run has no step "${fromStep}"`);
  }
  const before = events.slice(0, cut);
  const succeeded = new Set<string>();
  for (const event of before) if (SUCCEEDED.has(event.type) && "stepId" in event) succeeded.add(event.stepId);
  const seed: NewRunEvent[] = [];
  for (const event of before) {
    if (!("stepId" in event) || !succeeded.has(event.stepId)) continue;
    const { seq: _seq, at: _at, ...rest } = event;
    seed.push(rest as NewRunEvent);
  }
  return { ok: true, value: seed };
}
