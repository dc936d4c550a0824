// `ctx.patched(id)`: a decision taken once per run and recorded like a step (kind `patch`, its
// output the boolean), so every replay takes the branch the run first took (decision 0018).
import type { Driver } from "./driver.ts";
import { checkDeterminism } from "./guards.ts";
import { inputHash } from "./input-hash.ts";

/**
 * True when the run first reaches this patch at its live frontier (a new run, or an old run that
 * had not got this far): the new code path. False when the run is replaying past this point with
 * a log the old code wrote: it keeps the old path. A recorded decision is returned as recorded.
 */
export function patchStep(driver: Driver, stepId: string, patchId: string, site?: string): boolean {
  driver.catchUp();
  if (driver.finished) return false;
  const hash = inputHash(undefined);
  const record = driver.records.get(stepId);
  if (checkDeterminism(driver, stepId, record, { kind: "patch", name: patchId, input: undefined }, hash, site))
    return false;
  if (record?.completed) return record.completed.output === true;
  const patched = driver.identity.atFrontier(stepId);
  if (driver.options.probe) return patched;
  // Both records in one synchronous segment: the run object's storage commits them together.
  driver.append({
    type: "step_started",
    stepId,
    kind: "patch",
    name: patchId,
    attempt: 1,
    inputHash: hash,
    ...(site ? { site } : {}),
  });
  driver.append({ type: "step_completed", stepId, output: patched });
  return patched;
}
