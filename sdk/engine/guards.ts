// The checks every new step passes: the run's limits, its output size, and determinism.
import { CairnError, NonDeterminismError } from "../errors.ts";
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

export function checkDeterminism(
  driver: Driver,
  stepId: string,
  record: StepRecord | undefined,
  kind: string,
  name: string,
  hash: string,
): void {
  if (!record?.inputHash) return;
  if (record.kind !== kind || record.name !== name || record.inputHash !== hash) {
    driver.abortPass(
      new NonDeterminismError(
        stepId,
        `${record.kind} ${record.name} (input ${record.inputHash})`,
        `${kind} ${name} (input ${hash})`,
      ),
    );
  }
}
