// Folds the event log into one record per step id: what replay needs to answer "has this
// step already happened?" in O(1), and what the run record shows as its steps.
import type { RetryPolicy, RunEvent, SerializedError, StepKind } from "./events.ts";

export interface StepRecord {
  stepId: string;
  kind: StepKind | "sleep" | "hook";
  name: string;
  /** The call site and occurrence that made the step (`<siteId>#<n>`), when the code was instrumented. */
  site?: string;
  inputHash?: string;
  /** The recorded input, when it was small enough to record (for divergence diffs). */
  input?: { value: unknown };
  policy?: RetryPolicy;
  /** Last attempt that started (1-based); 0 when none has. */
  attempt: number;
  /** How many times that attempt started (more than 1 after crashes cut it off). */
  starts: number;
  startedAt?: number;
  /** When the last attempt last started: an offloaded attempt's report is due from then (decision 0023). */
  lastStartedAt?: number;
  /** The last attempt ran (or runs) in the queue consumer, not in the run's object (decision 0023). */
  offloaded?: boolean;
  endedAt?: number;
  /** `encoded`: the output holds value-codec tags (decode before use). */
  completed?: { seq: number; output: unknown; encoded: boolean };
  failed?: { seq: number; error: SerializedError };
  /** Set while the last attempt failed and the next waits for its backoff. */
  retrying?: { attempt: number; retryAt: number; error: SerializedError };
  /** Failed attempts, oldest first; absent until one fails (most steps never do). */
  errors?: { attempt: number; error: SerializedError; at: number }[];
  sleep?: { wakeAt: number; completedSeq?: number };
  hook?: {
    token: string;
    timeoutAt?: number;
    resumed?: { seq: number; payload: unknown };
    timedOutSeq?: number;
  };
  usage?: { inputTokens: number; outputTokens: number };
}

function nameOf(stepId: string): string {
  const last = stepId.slice(stepId.lastIndexOf("/") + 1);
  return last.slice(0, last.lastIndexOf("#"));
}

function recordFor(records: Map<string, StepRecord>, stepId: string, kind: StepRecord["kind"], name?: string) {
  let record = records.get(stepId);
  if (!record) {
    // Every field present from the start: one object shape for all records keeps replay's
    // property accesses monomorphic (adding fields later made applyStepEvent the hot spot).
    record = {
      stepId,
      kind,
      name: name ?? nameOf(stepId),
      site: undefined,
      inputHash: undefined,
      input: undefined,
      policy: undefined,
      attempt: 0,
      starts: 0,
      startedAt: undefined,
      lastStartedAt: undefined,
      offloaded: undefined,
      endedAt: undefined,
      completed: undefined,
      failed: undefined,
      retrying: undefined,
      errors: undefined,
      sleep: undefined,
      hook: undefined,
      usage: undefined,
    };
    records.set(stepId, record);
  }
  return record;
}

function addError(record: StepRecord, failure: { attempt: number; error: SerializedError; at: number }): void {
  record.errors ??= [];
  record.errors.push(failure);
}

/** Applies one event to the step records; a no-op for run-level events. */
export function applyStepEvent(records: Map<string, StepRecord>, event: RunEvent): void {
  switch (event.type) {
    case "step_started": {
      const record = recordFor(records, event.stepId, event.kind, event.name);
      record.kind = event.kind;
      record.name = event.name;
      record.inputHash = event.inputHash;
      if (event.site !== undefined) record.site = event.site;
      if (event.attempt === 1 && "input" in event) record.input = { value: event.input };
      record.starts = event.attempt === record.attempt ? record.starts + 1 : 1;
      record.attempt = event.attempt;
      record.policy = event.policy ?? record.policy;
      record.startedAt ??= event.at;
      record.lastStartedAt = event.at;
      record.offloaded = event.offloaded;
      record.retrying = undefined;
      return;
    }
    case "step_completed": {
      const record = recordFor(records, event.stepId, "action");
      record.completed = { seq: event.seq, output: event.output, encoded: event.encoded === true };
      record.endedAt = event.at;
      record.retrying = undefined;
      if (event.usage) record.usage = event.usage;
      return;
    }
    case "step_retrying": {
      const record = recordFor(records, event.stepId, "action");
      record.retrying = { attempt: event.attempt, retryAt: event.retryAt, error: event.error };
      addError(record, { attempt: event.attempt, error: event.error, at: event.at });
      return;
    }
    case "step_failed": {
      const record = recordFor(records, event.stepId, "action");
      record.failed = { seq: event.seq, error: event.error };
      addError(record, { attempt: event.attempt, error: event.error, at: event.at });
      record.endedAt = event.at;
      record.retrying = undefined;
      return;
    }
    case "sleep_started": {
      const record = recordFor(records, event.stepId, "sleep");
      record.sleep = { wakeAt: event.wakeAt };
      record.startedAt = event.at;
      if (event.site !== undefined) record.site = event.site;
      return;
    }
    case "sleep_completed": {
      const record = recordFor(records, event.stepId, "sleep");
      record.sleep = { wakeAt: record.sleep?.wakeAt ?? event.at, completedSeq: event.seq };
      record.endedAt = event.at;
      return;
    }
    case "hook_created": {
      const record = recordFor(records, event.stepId, "hook");
      record.hook = { token: event.token, timeoutAt: event.timeoutAt };
      record.startedAt = event.at;
      if (event.site !== undefined) record.site = event.site;
      return;
    }
    case "hook_resumed": {
      const record = recordFor(records, event.stepId, "hook");
      if (record.hook) record.hook.resumed = { seq: event.seq, payload: event.payload };
      record.endedAt = event.at;
      return;
    }
    case "hook_timed_out": {
      const record = recordFor(records, event.stepId, "hook");
      if (record.hook) record.hook.timedOutSeq = event.seq;
      record.endedAt = event.at;
      return;
    }
    default:
      return;
  }
}

/** Builds the step records of a whole log. */
export function buildStepRecords(events: readonly RunEvent[]): Map<string, StepRecord> {
  const records = new Map<string, StepRecord>();
  for (const event of events) applyStepEvent(records, event);
  return records;
}

/**
 * The status a step shows in the run record: `completed`, `failed`, `timed_out` (a hook), or
 * while it is live `running`, `retrying`, `sleeping`, `waiting` (a hook). Pass `runFinished` for
 * a run that has ended: a step still live then shows `canceled`, because the run abandoned it
 * (it was canceled, it failed elsewhere, or it returned without awaiting it) and nothing will
 * ever finish it.
 */
export function stepStatus(record: StepRecord, runFinished = false): string {
  if (record.completed) return "completed";
  if (record.failed) return "failed";
  if (record.hook?.resumed || record.sleep?.completedSeq) return "completed";
  if (record.hook?.timedOutSeq) return "timed_out";
  if (runFinished) return "canceled";
  if (record.hook) return "waiting";
  if (record.sleep) return "sleeping";
  if (record.retrying) return "retrying";
  return "running";
}
