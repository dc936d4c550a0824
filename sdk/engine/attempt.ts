// One attempt of an action, LLM or agent-turn step: start, durability, timeout, outcome.
import { CairnError, StepTimeoutError, ValidationError } from "../errors.ts";
import type { Driver } from "./driver.ts";
import { serializeError } from "./error-codec.ts";
import { inputField } from "./divergence.ts";
import { backoffDelayMs, resolveRetryPolicy } from "./retry-policy.ts";
import { ambientScope, type StepCall } from "./scope.ts";
import { captureConsole, StepLogBuffer } from "./step-logs.ts";
import type { NewRunEvent, RetryPolicy, RunEvent, SerializedError, StepLogLine } from "./events.ts";
import type { StepRecord } from "./step-records.ts";
import { outputFields, outputForCode, outputOptions, type StoredOutput, storeOutput } from "./step-outputs.ts";

/** Starts of one attempt (the first and its re-runs after crashes) before the step fails. */
const MAX_STARTS_PER_ATTEMPT = 3;

/**
 * Runs one attempt of a step: records its start, makes the log durable, runs it with its
 * timeout, then records the result, a retry with its backoff, or the final failure.
 */
export async function runAttempt<T>(
  driver: Driver,
  stepId: string,
  call: StepCall<T>,
  hash: string,
  record: StepRecord | undefined,
  site?: string,
): Promise<T> {
  const { attempt, policy } = startAttempt(driver, stepId, call, hash, record, site);
  const controller = new AbortController();
  driver.controllers.add(controller);
  driver.inFlight++;
  let outcome: { ok: true; value: T; stored: StoredOutput } | { ok: false; error: unknown };
  // This attempt's ctx.log and console lines, kept apart from parallel steps by the ambient scope.
  captureConsole();
  const buffer = new StepLogBuffer();
  try {
    const value = await ambientScope.run({ type: "action", slug: call.name, logs: buffer }, () =>
      withTimeout(call.execute(controller.signal, attempt), stepId, call.timeoutMs, controller),
    );
    outcome = { ok: true, value, stored: await storeOutput(driver, stepId, value) };
  } catch (error) {
    outcome = { ok: false, error };
  } finally {
    driver.inFlight--;
    driver.controllers.delete(controller);
    driver.activity++;
    driver.settling.scheduleIdleCheck();
  }
  // A pass that ended meanwhile (canceled, or the output could not be stored) records nothing.
  if (driver.finished) return new Promise<never>(() => {});
  const lines = buffer.take();
  const logs = lines ? { logs: lines } : {};
  if (outcome.ok) {
    const usage = call.usageOf?.(outcome.value);
    const { stored } = outcome;
    driver.append(
      { type: "step_completed", stepId, ...outputFields(stored), ...(usage ? { usage } : {}), ...logs },
      outputOptions(stored),
    );
    // The code gets what a replay will give it: its own copy, decoded from the stored form.
    return outputForCode(call, stored.output, stored.encoded);
  }
  const event = failedAttempt(stepId, attempt, policy, serializeError(outcome.error), {
    nonRetryable: isNonRetryable(outcome.error),
    // A provider's Retry-After is a floor under the policy's backoff.
    retryAfterMs: Number((outcome.error as { retryAfterMs?: unknown } | null)?.retryAfterMs) || 0,
    now: driver.now(),
    logs: lines,
  });
  driver.append(event);
  if (event.type === "step_failed") throw outcome.error;
  return driver.settling.block({ kind: "retry", stepId, wakeAt: event.retryAt }, stepId);
}

/**
 * The event that ends a failed attempt: `step_retrying` with its backoff (a Retry-After is a floor
 * under it), or `step_failed` once the error is non-retryable or the attempts are spent. The
 * in-pass path and an offloaded attempt's report (decision 0023) both decide here.
 */
export function failedAttempt(
  stepId: string,
  attempt: number,
  policy: RetryPolicy,
  error: SerializedError,
  how: { nonRetryable: boolean; retryAfterMs?: number; now: number; logs?: StepLogLine[] },
): Extract<NewRunEvent, { type: "step_failed" | "step_retrying" }> {
  const logs = how.logs?.length ? { logs: how.logs } : {};
  if (how.nonRetryable || attempt >= policy.maxAttempts)
    return { type: "step_failed", stepId, attempt, error, ...logs };
  const retryAt = how.now + Math.max(backoffDelayMs(policy, attempt), how.retryAfterMs ?? 0);
  return { type: "step_retrying", stepId, attempt, error, retryAt, ...logs };
}

/**
 * Records the start of a step's next attempt, or of the attempt a crash (or a lost offloaded
 * attempt) cut off again under its number; gives up once that attempt started too often.
 */
export function startAttempt(
  driver: Driver,
  stepId: string,
  call: StepCall<unknown>,
  hash: string,
  record: StepRecord | undefined,
  site?: string,
  /** The attempt is sent to the queue consumer (offload.ts), recorded on its `step_started`. */
  offloaded = false,
): { attempt: number; policy: RetryPolicy; started?: RunEvent } {
  const policy = record?.policy ?? resolveRetryPolicy(driver.workflow.retries, call.retries);
  // An attempt that started but never finished was cut off by a crash: run it again under the
  // same number (at-least-once for the attempt in flight), unless crashes keep cutting it off.
  const interrupted = record !== undefined && record.attempt > 0 && !record.retrying;
  const attempt = interrupted ? record.attempt : (record?.attempt ?? 0) + 1;
  if (interrupted && record.starts >= MAX_STARTS_PER_ATTEMPT) {
    const error = new CairnError(
      "attempt_interrupted",
      `${stepId} attempt ${attempt} was interrupted ${record.starts} times; giving up`,
    );
    driver.append({ type: "step_failed", stepId, attempt, error: serializeError(error) });
    throw error;
  }
  const started = driver.append({
    type: "step_started",
    stepId,
    kind: call.kind,
    name: call.name,
    attempt,
    inputHash: hash,
    ...(attempt === 1 ? { policy, ...inputField(call.input) } : {}),
    ...(site ? { site } : {}),
    ...(offloaded ? { offloaded: true as const } : {}),
  });
  return { attempt, policy, started };
}

/** A stub's answer must fit the step's output schema, like the real step's would. */
export function parseStubOutput<T>(call: StepCall<T>, value: unknown): T {
  if (!call.parseOutput) return value as T;
  try {
    return call.parseOutput(value);
  } catch (error) {
    const issues = (error as { issues?: unknown }).issues;
    throw new ValidationError(
      "invalid_output",
      `stub for ${call.name} returned output that does not match its schema`,
      issues,
    );
  }
}

/** Errors that fail the step at once, whatever its retry policy says. */
export function isNonRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === "non_retryable" ||
    code === "usage_error" ||
    code === "invalid_input" ||
    code === "invalid_output" ||
    code === "step_output_too_large" ||
    code === "unstorable_output" ||
    code === "missing_secret" ||
    code === "missing_credential"
  );
}

/** `work`, or a `StepTimeoutError` (aborting `controller`) after `timeoutMs`. */
export async function withTimeout<T>(
  work: Promise<T>,
  stepId: string,
  timeoutMs: number | undefined,
  controller: AbortController,
): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StepTimeoutError(stepId, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
