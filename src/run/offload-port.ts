// The run object's side of offloaded steps (decision 0023): dispatching an attempt on the FANOUT
// queue, and recording the attempt's report exactly once.
import { serializeError } from "../../sdk/engine/error-codec.ts";
import { CairnError } from "../../sdk/errors.ts";
import { DEFAULT_LIMITS } from "../../sdk/engine/limits.ts";
import {
  type OffloadedAttempt,
  type OffloadPort,
  type OffloadReport,
  reportedFailure,
  reportIsCurrent,
  stepRecordOf,
} from "../../sdk/engine/offload.ts";
import type { AppendOptions } from "../../sdk/engine/event-log.ts";
import type { NewRunEvent } from "../../sdk/engine/events.ts";
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import type { Env } from "../env.ts";
import {
  MAX_INLINE_OUTPUT_BYTES,
  OFFLOAD_MAX_INPUT_BYTES,
  OFFLOAD_REPORT_GRACE_MS,
  OFFLOAD_REPORT_TIMEOUT_MS,
} from "../limits.ts";
import type { SqlEventLog } from "../log/sql-event-log.ts";
import type { RunStore } from "./run-store.ts";

/** An offloaded attempt on the FANOUT queue; fan-out messages carry no `kind`. */
export interface OffloadedStepMessage extends OffloadedAttempt {
  kind: "step";
}

/**
 * The port a pass offloads through, or none (steps then run in the pass) where the Worker has no
 * FANOUT queue bound. Each send is pushed on `sends`, for the pass to await before it returns.
 */
export function offloadPort(env: Partial<Pick<Env, "FANOUT">>, sends: Promise<void>[]): OffloadPort | undefined {
  const queue = env.FANOUT;
  if (!queue) return undefined;
  return {
    accepts: (input) => jsonBytes(input) <= OFFLOAD_MAX_INPUT_BYTES,
    dispatch: (attempt) => {
      const message: OffloadedStepMessage = { kind: "step", ...attempt };
      // A send that fails leaves the attempt out: its re-dispatch timer sends it again.
      sends.push(
        queue.send(message).then(
          () => undefined,
          (error: unknown) =>
            console.error(`cairn: could not dispatch ${attempt.stepId} of run ${attempt.runId}`, error),
        ),
      );
    },
    reportWithinMs: (timeoutMs) =>
      timeoutMs === undefined ? OFFLOAD_REPORT_TIMEOUT_MS : timeoutMs + OFFLOAD_REPORT_GRACE_MS,
  };
}

function jsonBytes(value: unknown): number {
  try {
    const json = JSON.stringify(value) ?? "";
    return json.length * 3 <= OFFLOAD_MAX_INPUT_BYTES ? json.length : new TextEncoder().encode(json).byteLength;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Whether a report was recorded (`false`: stale — a duplicate, an old attempt, a finished run). */
export interface ReportAnswer {
  recorded: boolean;
}

/**
 * Records an offloaded attempt's outcome when it is for the step's current attempt and nothing
 * is recorded for it yet, then drives the next pass the way a hook resume does. The caller
 * rearms the alarm when it was recorded.
 */
export async function recordOffloadReport(
  store: RunStore,
  env: Pick<Env, "PAYLOADS">,
  stepId: string,
  attempt: number,
  report: OffloadReport,
): Promise<ReportAnswer> {
  const current = (log: SqlEventLog) =>
    !isFinishedStatus(store.row()?.status) && reportIsCurrent(stepRecordOf(log.events, stepId), attempt);
  // Checked first, so a stale report stores nothing in R2.
  if (!(await store.atomically(current))) return { recorded: false };
  const outcome = await outcomeEvent(await store.log(), env, stepId, report);
  // The output was stored meanwhile: another report, a cancel or a re-dispatch may have landed.
  return store.atomically((log): ReportAnswer => {
    const record = stepRecordOf(log.events, stepId);
    if (isFinishedStatus(store.row()?.status) || !reportIsCurrent(record, attempt)) return { recorded: false };
    const event = "event" in outcome ? outcome.event : reportedFailure(record, attempt, outcome.failure, Date.now());
    store.transaction(() => {
      log.append(event, "options" in outcome ? outcome.options : undefined);
      store.timers.delete([`offload:${stepId}`]);
      store.timers.set("drive", "drive", Date.now());
    });
    return { recorded: true };
  });
}

/** The `step_completed` of a successful report, its output checked and stored as the pass would. */
async function outcomeEvent(
  log: SqlEventLog,
  env: Pick<Env, "PAYLOADS">,
  stepId: string,
  report: OffloadReport,
): Promise<{ event: NewRunEvent; options?: AppendOptions } | { failure: Extract<OffloadReport, { ok: false }> }> {
  if (!report.ok) return { failure: report };
  const logs = report.logs?.length ? { logs: report.logs } : {};
  const fields = report.encoded ? { output: report.output, encoded: true as const } : { output: report.output };
  const usage = report.usage ? { usage: report.usage } : {};
  const event: NewRunEvent = { type: "step_completed", stepId, ...fields, ...usage, ...logs };
  if (report.output === undefined) return { event };
  const json = JSON.stringify(report.output);
  const bytes = new TextEncoder().encode(json).byteLength;
  // Without R2 every output must fit in its SQLite row (as in the pass).
  const limit = env.PAYLOADS ? DEFAULT_LIMITS.maxOutputBytes : MAX_INLINE_OUTPUT_BYTES;
  if (bytes > limit) {
    const error = new CairnError("step_output_too_large", `${stepId} returned ${bytes} bytes; the limit is ${limit}`, {
      bytes,
      limit,
    });
    return { failure: { ok: false, error: serializeError(error), nonRetryable: true, logs: report.logs } };
  }
  if (!log.externalize || bytes < (log.largeValueBytes ?? Number.POSITIVE_INFINITY)) return { event };
  // A failed R2 write throws: the report is not acknowledged, and the queue delivers it again.
  return { event, options: { externalOutput: await log.externalize(json, bytes) } };
}
