// Offloaded steps (decision 0023): the pass records an attempt's start, hands the attempt to the
// host and suspends; the attempt's outcome comes back later as a report, recorded once.
import type { Driver } from "./driver.ts";
import type { NewRunEvent, RunEvent, SerializedError, StepLogLine } from "./events.ts";
import { failedAttempt, parseStubOutput, runAttempt, startAttempt } from "./attempt.ts";
import type { Usage } from "./model-port.ts";
import { resolveRetryPolicy } from "./retry-policy.ts";
import type { RunInfo, StepCall } from "./scope.ts";
import { applyStepEvent, type StepRecord } from "./step-records.ts";

/** One attempt handed out of the pass, with what running it needs. */
export interface OffloadedAttempt {
  runId: string;
  stepId: string;
  /** The attempt's number: with `stepId`, the identity its report must name. */
  attempt: number;
  /**
   * What the consumer runs: `"llm"`, the model request in `input`; otherwise (or absent, as in
   * messages sent before model calls could be offloaded) the offloaded action named `name`.
   */
  stepKind?: StepCall<unknown>["kind"];
  /** The action's slug, or `llm`. */
  name: string;
  /** The action's input, or a model call's whole request (`ModelRequest`). */
  input: unknown;
  timeoutMs?: number;
  info: RunInfo;
}

/** How the host runs offloaded steps (the run object: its Worker's queue). */
export interface OffloadPort {
  /** Whether this input can travel with the attempt; a step whose input cannot runs in the pass. */
  accepts(input: unknown): boolean;
  /** Sends the attempt out. Called after its `step_started` was appended. */
  dispatch(attempt: OffloadedAttempt): void;
  /** How long after an attempt starts its report may take before it is dispatched again. */
  reportWithinMs(timeoutMs: number | undefined): number;
}

/** What an offloaded attempt came to, as its executor reports it. */
export type OffloadReport =
  | { ok: true; output: unknown; encoded: boolean; usage?: Usage; logs?: StepLogLine[] }
  | { ok: false; error: SerializedError; nonRetryable: boolean; retryAfterMs?: number; logs?: StepLogLine[] };

/**
 * Where a step's next attempt runs: a test's stub answers in the pass; an action or model call
 * marked `offload` goes to the host's queue when it has one and takes the input; the rest run in
 * the pass.
 */
export function runOrOffload<T>(
  driver: Driver,
  stepId: string,
  call: StepCall<T>,
  hash: string,
  record: StepRecord | undefined,
  site?: string,
): Promise<T> {
  const stub = driver.options.stubs?.[call.name];
  if (stub) {
    // The stub replaces `execute` only; the call's other members (a class's methods included) stay.
    const stubbed = Object.assign(Object.create(call) as StepCall<T>, {
      execute: async () => parseStubOutput(call, await stub(call.input)),
    });
    return runAttempt(driver, stepId, stubbed, hash, record, site);
  }
  const port = driver.options.offload;
  if (call.offload && port?.accepts(call.offloadInput ?? call.input))
    return offloadAttempt(driver, port, stepId, call, hash, record, site);
  return runAttempt(driver, stepId, call, hash, record, site);
}

/**
 * Starts (or, once its report is overdue, dispatches again) the offloaded attempt of a step and
 * suspends on it: the promise never settles in this pass. A later pass replays the reported outcome.
 */
export function offloadAttempt<T>(
  driver: Driver,
  port: OffloadPort,
  stepId: string,
  call: StepCall<T>,
  hash: string,
  record: StepRecord | undefined,
  site?: string,
): Promise<T> {
  // Started with no outcome recorded: the attempt is out. It is dispatched again only when its
  // report is overdue, under the same number, so a late report of the first dispatch still counts.
  if (record !== undefined && record.attempt > 0 && !record.retrying) {
    const wakeAt = (record.lastStartedAt ?? 0) + port.reportWithinMs(call.timeoutMs);
    if (wakeAt > driver.now()) return driver.settling.block({ kind: "offload", stepId, wakeAt }, stepId);
  }
  const { attempt, started } = startAttempt(driver, stepId, call, hash, record, site, true);
  if (!started) return new Promise<never>(() => {});
  const { runId, info } = driver;
  const input = call.offloadInput ?? call.input;
  port.dispatch({
    runId,
    stepId,
    attempt,
    stepKind: call.kind,
    name: call.name,
    input,
    timeoutMs: call.timeoutMs,
    info,
  });
  const wakeAt = started.at + port.reportWithinMs(call.timeoutMs);
  return driver.settling.block({ kind: "offload", stepId, wakeAt }, stepId);
}

/** The record of one step, folded from the log's events of that step alone. */
export function stepRecordOf(events: readonly RunEvent[], stepId: string): StepRecord | undefined {
  const records = new Map<string, StepRecord>();
  for (const event of events) if ("stepId" in event && event.stepId === stepId) applyStepEvent(records, event);
  return records.get(stepId);
}

/**
 * Whether a report is for the attempt in flight: the step's current attempt, with no outcome
 * recorded yet. A duplicate, an older attempt's report, or one for a step that ended is stale.
 */
export function reportIsCurrent(record: StepRecord | undefined, attempt: number): record is StepRecord {
  return (
    record !== undefined &&
    record.attempt === attempt &&
    record.completed === undefined &&
    record.failed === undefined &&
    record.retrying === undefined
  );
}

/**
 * The event a failed report appends: a retry after the step's backoff (its next attempt is
 * offloaded again by the pass that follows) or the step's failure, as in the pass.
 */
export function reportedFailure(
  record: StepRecord,
  attempt: number,
  report: Extract<OffloadReport, { ok: false }>,
  now: number,
): NewRunEvent {
  const policy = record.policy ?? resolveRetryPolicy();
  return failedAttempt(record.stepId, attempt, policy, report.error, {
    nonRetryable: report.nonRetryable,
    retryAfterMs: report.retryAfterMs,
    now,
    logs: report.logs,
  });
}
