// A sub-workflow or agent-loop step: its body runs inline in a prefixed scope, its own steps
// recorded under `<stepId>/`, and its output recorded like any step's.
import type { Driver } from "./driver.ts";
import { inputField } from "./divergence.ts";
import { serializeError } from "./error-codec.ts";
import { checkDeterminism, checkLimits } from "./guards.ts";
import { inputHash } from "./input-hash.ts";
import { PassAbort } from "./pass-abort.ts";
import { Scope } from "./run-scope.ts";
import { ambientScope, type ChildCall } from "./scope.ts";
import { outputFields, outputForCode, outputOptions, replayed, storeOutput } from "./step-outputs.ts";

/** Runs (or replays) one child step. */
export async function childStep<T>(driver: Driver, stepId: string, call: ChildCall<T>, site?: string): Promise<T> {
  driver.catchUp();
  if (driver.finished) return new Promise<never>(() => {});
  const hash = inputHash(call.input);
  const record = driver.records.get(stepId);
  const kind = call.kind ?? "workflow";
  if (checkDeterminism(driver, stepId, record, { kind, name: call.name, input: call.input }, hash, site))
    return new Promise<never>(() => {});
  checkLimits(driver, stepId, record);
  const probe = driver.options.probe;
  if (record) {
    const done = replayed(driver, record, call);
    if (done) return done;
  } else if (!probe) {
    driver.append({
      type: "step_started",
      stepId,
      kind,
      name: call.name,
      attempt: 1,
      inputHash: hash,
      ...inputField(call.input),
      ...(site ? { site } : {}),
    });
  }
  const scope = new Scope(driver, `${stepId}/`, call.forbidWaits);
  try {
    const output = await ambientScope.run({ type: "run", scope }, () => call.run(scope));
    if (probe) return output;
    const stored = await storeOutput(driver, stepId, output);
    driver.append({ type: "step_completed", stepId, ...outputFields(stored) }, outputOptions(stored));
    // What a replay would hand back: a value the log had to encode comes back decoded.
    return stored.encoded ? outputForCode(call, stored.output, true) : output;
  } catch (error) {
    if (error instanceof PassAbort || driver.fatal) throw error;
    if (!probe) driver.append({ type: "step_failed", stepId, attempt: 1, error: serializeError(error) });
    throw error;
  }
}
