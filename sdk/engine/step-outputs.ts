// A step's or the run's output on its way into the log (encoded, size-checked, stored outside
// the log when large) and on its way back to the workflow's code, live or replayed: both ways
// give the code the same value.
import type { Driver } from "./driver.ts";
import { deserializeError } from "./error-codec.ts";
import type { AppendOptions, LargeValueRef } from "./event-log.ts";
import { checkOutputSize } from "./guards.ts";
import { PassAbort } from "./pass-abort.ts";
import type { StepRecord } from "./step-records.ts";
import { decodeValue, encodeValue } from "./value-codec.ts";

/** An output as the log keeps it. */
export interface StoredOutput {
  /** The stored form (value-codec.ts). */
  output: unknown;
  /** The stored form holds tags: decode it before use. False for plain JSON. */
  encoded: boolean;
  /** Where a large output went instead of the row. */
  externalOutput?: LargeValueRef;
}

/**
 * Encodes an output (throwing `unstorable_output` for what the log cannot keep), checks it against
 * the size limit (`step_output_too_large`) and, when it is large, stores it outside the log. A
 * store that fails is the log failing, not the step or the run: the pass ends (`logFailed`).
 */
export async function storeOutput(driver: Driver, where: string, value: unknown): Promise<StoredOutput> {
  const { value: output, tagged: encoded } = encodeValue(value, where);
  const size = checkOutputSize(driver, where, output);
  const log = driver.log;
  if (!size || !log.externalize || size.bytes < (log.largeValueBytes ?? Number.POSITIVE_INFINITY))
    return { output, encoded };
  // The pass is not idle while the value is on its way out.
  driver.inFlight++;
  try {
    return { output, encoded, externalOutput: await log.externalize(size.json, size.bytes) };
  } catch (error) {
    driver.logFailed(error);
    throw new PassAbort(`the output of ${where} could not be stored: ${(error as Error)?.message ?? error}`);
  } finally {
    driver.inFlight--;
    driver.activity++;
  }
}

/** The fields of a `step_completed` or `run_completed` event for a stored output. */
export function outputFields(stored: StoredOutput): { output: unknown; encoded?: true } {
  return stored.encoded ? { output: stored.output, encoded: true } : { output: stored.output };
}

/** The append options for a stored output. */
export function outputOptions(stored: StoredOutput): AppendOptions | undefined {
  return stored.externalOutput ? { externalOutput: stored.externalOutput } : undefined;
}

/**
 * The value the workflow's code gets for a stored output, the same live and on replay. It is the
 * code's own copy: mutating it must not change the recorded output.
 */
export function outputForCode<T>(call: { parseOutput?(recorded: unknown): T }, output: unknown, encoded: boolean): T {
  // A decoded value is a fresh copy already; plain JSON is cloned (or re-parsed) instead.
  const value = encoded ? decodeValue(output) : output;
  if (call.parseOutput) return call.parseOutput(value);
  return encoded ? (value as T) : structuredClone(value as T);
}

/** A recorded step's result, settled in log order; undefined when the step has not finished. */
export function replayed<T>(
  driver: Driver,
  record: StepRecord,
  call: { parseOutput?(recorded: unknown): T },
): Promise<T> | undefined {
  if (record.completed) {
    const { seq, output, encoded } = record.completed;
    return new Promise<T>((resolve, reject) =>
      driver.settling.ready(seq, () => {
        try {
          resolve(outputForCode(call, output, encoded));
        } catch (error) {
          reject(error);
        }
      }),
    );
  }
  if (record.failed) {
    const { seq, error } = record.failed;
    return new Promise<T>((_, reject) => driver.settling.ready(seq, () => reject(deserializeError(error))));
  }
  return undefined;
}
