// The checks every step passes: the run's limits, its output size, and determinism.
import { CairnError } from "../errors.ts";
import { type CallShape, divergenceOf, recordableInput } from "./divergence.ts";
import type { Driver } from "./driver.ts";
import type { StepRecord } from "./step-records.ts";

/** A new step must fit the run's limits; breaking one ends the run, whatever user code catches. */
export function checkLimits(driver: Driver, stepId: string, record: StepRecord | undefined): void {
  if (record) return;
  if (driver.records.size >= driver.limits.maxSteps) {
    driver.abortPass(
      new CairnError(
        "step_limit_exceeded",
        `the run reached its limit of ${driver.limits.maxSteps} steps at ${stepId}`,
      ),
    );
  }
  if (stepId.split("/").length > driver.limits.maxDepth) {
    driver.abortPass(
      new CairnError("nesting_too_deep", `${stepId} nests sub-workflows deeper than ${driver.limits.maxDepth} levels`),
    );
  }
}

/** Measures a step's output against the limit; returns its JSON and size for externalizing. */
export function checkOutputSize(
  driver: Driver,
  stepId: string,
  value: unknown,
): { json: string; bytes: number } | undefined {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  // UTF-8 takes at most 3 bytes per UTF-16 unit: small values skip the exact (slower) measurement.
  const bytes =
    json.length * 3 < (driver.log.largeValueBytes ?? Number.POSITIVE_INFINITY) &&
    json.length * 3 < driver.limits.maxOutputBytes
      ? json.length
      : new TextEncoder().encode(json).byteLength;
  if (bytes > driver.limits.maxOutputBytes) {
    throw new CairnError(
      "step_output_too_large",
      `${stepId} returned ${bytes} bytes; the limit is ${driver.limits.maxOutputBytes}`,
      { bytes, limit: driver.limits.maxOutputBytes },
    );
  }
  return { json, bytes };
}

/** The recorded call of a step, as a divergence shows it. */
export function recordedCall(record: StepRecord): CallShape {
  return { kind: record.kind, name: record.name, input: record.input, inputHash: record.inputHash ?? "" };
}

/**
 * A recorded step reached again must be the same call: same kind, name and input. One that is not
 * parks the run (`driver.diverge`, decision 0018) and returns true; the caller then returns a
 * promise that never settles, because the pass is over.
 */
export function checkDeterminism(
  driver: Driver,
  stepId: string,
  record: StepRecord | undefined,
  call: { kind: string; name: string; input: unknown },
  hash: string,
  site?: string,
): boolean {
  if (!record?.inputHash) return false;
  if (record.kind === call.kind && record.name === call.name && record.inputHash === hash) return false;
  const current = { kind: call.kind, name: call.name, input: recordableInput(call.input), inputHash: hash };
  driver.diverge(divergenceOf(stepId, site ?? record.site, recordedCall(record), current));
  return true;
}
