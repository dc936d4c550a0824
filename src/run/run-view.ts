// The run record the API returns, derived from the event log and the run row.
import { plainJson } from "../../sdk/engine/plain-json.ts";
import type { RunEvent, RunVersion, SerializedError } from "../../sdk/engine/events.ts";
import { openBlock } from "../../sdk/engine/divergence.ts";
import { buildStepRecords, stepStatus } from "../../sdk/engine/step-records.ts";
import { logsByStep, runLogs } from "../../sdk/engine/step-log-view.ts";

import { isFinishedStatus, isTerminalEvent, type RunStatus } from "../../sdk/engine/run-status.ts";
import { queueView, skippedView } from "../flow/queue-view.ts";

export type { RunStatus };

export interface RunRow {
  id: string;
  workflow: string;
  status: RunStatus;
  trigger: string;
  origin: string | null;
  created_at: number;
  started_at: number | null;
  updated_at: number;
  finished_at: number | null;
  wake_at: number | null;
  /** The code the run started on, as JSON (RunVersion); null when unknown. */
  version?: string | null;
}

export interface RunSummary {
  runId: string;
  workflow: string;
  status: RunStatus;
  trigger: { type: string; source?: string };
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** The code the run started on (decision 0018), for the history's `version` filter. */
  version?: RunVersion;
}

const iso = (ms: number | null | undefined) => (ms == null ? undefined : new Date(ms).toISOString());

export function summaryOf(row: RunRow): RunSummary {
  return {
    runId: row.id,
    workflow: row.workflow,
    status: row.status,
    trigger: JSON.parse(row.trigger),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    ...(row.version ? { version: JSON.parse(row.version) as RunVersion } : {}),
  };
}

export interface ViewOptions {
  resumeUrl: (token: string) => string;
  /** Hook tokens are credentials: only an authorised caller sees them. */
  showTokens: boolean;
  /**
   * One page of steps, in the order they first appeared: `limit` of them after the step `after`
   * (a `nextStepsCursor` from an earlier page). Without it, every step.
   */
  steps?: { limit: number; after?: string };
}

/** The records of one page of steps, and the id of its last one when more follow. */
function stepPage<T extends { stepId: string }>(all: readonly T[], page: ViewOptions["steps"]) {
  if (!page) return { records: all, next: undefined };
  // A step id the log never had names no position: an empty page, never the first one again.
  const start = page.after === undefined ? 0 : all.findIndex((r) => r.stepId === page.after) + 1 || all.length;
  const records = all.slice(start, start + page.limit);
  const next = start + records.length < all.length ? records.at(-1)?.stepId : undefined;
  return { records, next };
}

/** The full run record: status, input, output or error, timestamps, steps and open hooks. */
export function runView(row: RunRow, events: readonly RunEvent[], options: ViewOptions) {
  const started = events.find((e) => e.type === "run_started");
  const terminal = events.findLast((e) => isTerminalEvent(e.type));
  const records = buildStepRecords(events);
  // A finished run has no live steps: one it left sleeping, waiting or running shows
  // `canceled` and ends when the run did (stepStatus documents the statuses).
  const finishedAt = isFinishedStatus(row.status) ? (terminal?.at ?? row.finished_at ?? undefined) : undefined;
  const allRecords = [...records.values()];
  const page = stepPage(allRecords, options.steps);
  const stepLogs = logsByStep(events);
  const logs = runLogs(events);
  const steps = page.records.map((record) => ({
    id: record.stepId,
    kind: record.kind,
    name: record.name,
    status: stepStatus(record, finishedAt !== undefined),
    attempts: record.attempt,
    startedAt: iso(record.startedAt),
    endedAt: iso(record.endedAt ?? finishedAt),
    ...(record.completed ? { output: plainJson(record.completed.output, record.completed.encoded) } : {}),
    ...(record.failed ? { error: record.failed.error } : {}),
    ...(record.errors
      ? { errors: record.errors.map((e) => ({ attempt: e.attempt, error: e.error, at: iso(e.at) })) }
      : {}),
    ...(record.retrying && finishedAt === undefined ? { retryAt: iso(record.retrying.retryAt) } : {}),
    ...(record.sleep ? { wakeAt: iso(record.sleep.wakeAt) } : {}),
    ...(record.usage ? { usage: record.usage } : {}),
    ...(record.offloaded ? { offloaded: true } : {}),
    ...(stepLogs.has(record.stepId) ? { logs: stepLogs.get(record.stepId) } : {}),
  }));
  const live = !isFinishedStatus(row.status);
  const hooks = [...records.values()]
    .filter((record) => record.hook && !record.hook.resumed && !record.hook.timedOutSeq && live)
    .map((record) => ({
      id: record.stepId,
      createdAt: iso(record.startedAt),
      timeoutAt: iso(record.hook!.timeoutAt),
      ...(options.showTokens ? { token: record.hook!.token, resumeUrl: options.resumeUrl(record.hook!.token) } : {}),
    }));
  // Over every step, not only this page's: the run's usage does not depend on paging.
  const usage = allRecords.reduce(
    (sum, record) =>
      record.usage
        ? {
            inputTokens: sum.inputTokens + record.usage.inputTokens,
            outputTokens: sum.outputTokens + record.usage.outputTokens,
          }
        : sum,
    { inputTokens: 0, outputTokens: 0 },
  );

  const trigger = JSON.parse(row.trigger) as { type: string; source?: string; retryOf?: string; rerunOf?: string };
  // Each retry of this run left an audit record after its terminal event (run-retry.ts).
  const retriedBy = events.flatMap((e) => (e.type === "run_retried" ? [e.by] : []));
  // Why a blocked run is parked (decision 0018): the reason of its open `run_blocked`.
  const blocked = row.status === "blocked" ? openBlock(events) : undefined;
  return {
    runId: row.id,
    workflow: row.workflow,
    status: row.status,
    input: started?.type === "run_started" ? started.input : undefined,
    ...(terminal?.type === "run_completed" ? { output: plainJson(terminal.output, terminal.encoded) } : {}),
    ...(terminal?.type === "run_failed" ? { error: terminal.error as SerializedError } : {}),
    ...(terminal?.type === "run_canceled" && terminal.reason ? { cancelReason: terminal.reason } : {}),
    ...(terminal?.type === "run_canceled" && terminal.by ? { canceledBy: terminal.by } : {}),
    trigger,
    ...(trigger.retryOf ? { retryOf: trigger.retryOf } : {}),
    ...(trigger.rerunOf ? { rerunOf: trigger.rerunOf } : {}),
    ...(retriedBy.length ? { retriedBy } : {}),
    ...(started?.type === "run_started" && started.version ? { version: started.version } : {}),
    ...(blocked ? { blocked } : {}),
    createdAt: iso(row.created_at),
    startedAt: iso(row.started_at),
    updatedAt: iso(row.updated_at),
    finishedAt: iso(row.finished_at),
    ...(row.wake_at ? { wakeAt: iso(row.wake_at) } : {}),
    // Flow control (decision 0020): why a queued run waits, or why a skipped one never ran.
    ...((q) => (q ? { queue: q } : {}))(queueView(row.status, events)),
    ...((s) => (s ? { skipped: s } : {}))(skippedView(events)),
    usage,
    steps,
    ...(page.next ? { nextStepsCursor: page.next } : {}),
    ...(logs.length ? { logs } : {}),
    hooks,
  };
}

export type RunView = ReturnType<typeof runView>;
