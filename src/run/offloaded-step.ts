// The queue consumer's side of offloaded steps (decision 0023): run the attempt's action or model
// call from a stateless Worker invocation, then report its outcome to the run's object.
import { isNonRetryable, withTimeout } from "../../sdk/engine/attempt.ts";
import { serializeError } from "../../sdk/engine/error-codec.ts";
import type { OffloadReport } from "../../sdk/engine/offload.ts";
import { offloadedHandler, offloadedUsage } from "../../sdk/engine/offloaded-actions.ts";
import { ambientScope } from "../../sdk/engine/scope.ts";
import { captureConsole, StepLogBuffer } from "../../sdk/engine/step-logs.ts";
import { encodeValue } from "../../sdk/engine/value-codec.ts";
import { CairnError } from "../../sdk/errors.ts";
import type { Env } from "../env.ts";
import type { OffloadedStepMessage, ReportAnswer } from "./offload-port.ts";

/**
 * Runs every offloaded attempt of a batch at once (they mostly wait on I/O). A message is
 * acknowledged once its report was recorded or refused as stale; an attempt whose report could
 * not be delivered is retried by the queue (the action may then run again).
 */
export async function consumeOffloadedSteps(
  messages: readonly Message<OffloadedStepMessage>[],
  env: Env,
): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      try {
        await runOffloadedStep(env, message.body);
        message.ack();
      } catch (error) {
        console.error(`cairn: offloaded ${message.body.stepId} of run ${message.body.runId} will be retried`, error);
        message.retry();
      }
    }),
  );
}

/** Executes one offloaded attempt and reports it to its run. */
export async function runOffloadedStep(env: Pick<Env, "RUNS">, step: OffloadedStepMessage): Promise<ReportAnswer> {
  const report = await executeAttempt(step);
  return env.RUNS.get(env.RUNS.idFromName(step.runId)).reportOffloadedStep(step.stepId, step.attempt, report);
}

/** One attempt in the same step context as in the run's object: timeout, signal, credentials, logs. */
export async function executeAttempt(step: OffloadedStepMessage): Promise<OffloadReport> {
  captureConsole();
  const logs = new StepLogBuffer();
  const controller = new AbortController();
  try {
    const handler = offloadedHandler(step);
    // A deploy removed the action (or renamed its slug): no retry can find it.
    if (!handler) throw new CairnError("non_retryable", `no offloaded action ${step.name} in this Worker`);
    const value = await ambientScope.run({ type: "action", slug: step.name, logs }, () =>
      withTimeout(
        handler(step.input, controller.signal, step.attempt, step.info),
        step.stepId,
        step.timeoutMs,
        controller,
      ),
    );
    const { value: output, tagged } = encodeValue(value, step.stepId);
    const usage = offloadedUsage(step, value);
    return { ok: true, output, encoded: tagged, ...(usage ? { usage } : {}), ...linesOf(logs) };
  } catch (error) {
    const retryAfterMs = Number((error as { retryAfterMs?: unknown } | null)?.retryAfterMs) || 0;
    return {
      ok: false,
      error: serializeError(error),
      nonRetryable: isNonRetryable(error),
      ...(retryAfterMs ? { retryAfterMs } : {}),
      ...linesOf(logs),
    };
  }
}

function linesOf(buffer: StepLogBuffer) {
  const lines = buffer.take();
  return lines ? { logs: lines } : {};
}
