// The one home of run statuses and of the events that end a run: every list of statuses or
// terminal events in the engine, the API, the client and the CLI is derived from here.
import type { RunEventType } from "./events.ts";

/** Every status a run can show, in the order a run passes through them. */
export const RUN_STATUSES = [
  "queued",
  /** A pass executes, a retry backoff runs, or an offloaded step is out (its step shows `running` too, decision 0023). */
  "running",
  "sleeping",
  "waiting_on_hook",
  /**
   * Live but parked: a replay met a call that differs from the recorded one (`run_blocked`). Its
   * timers and hooks stay; it goes on by itself once code that replays it cleanly is deployed.
   */
  "blocked",
  "success",
  "failed",
  "canceled",
  /** Flow control finished it without executing it (singleton, rate-limit drop, debounce, batch). */
  "skipped",
] as const;

/** Where a run stands: `queued` until its first pass, then live, then one of the finished statuses. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses of a finished run: nothing will ever be appended to its log again. */
export const FINISHED_STATUSES = ["success", "failed", "canceled", "skipped"] as const satisfies readonly RunStatus[];

export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

const finished: ReadonlySet<string> = new Set(FINISHED_STATUSES);
const known: ReadonlySet<string> = new Set(RUN_STATUSES);

/** True for `success`, `failed`, `canceled` and `skipped`. */
export function isFinishedStatus(status: string | undefined): status is FinishedStatus {
  return status !== undefined && finished.has(status);
}

/** True for any status in RUN_STATUSES (for validating filters). */
export function isRunStatus(status: string): status is RunStatus {
  return known.has(status);
}

/** The event that ends a run, and the status it leaves the run in. */
export const TERMINAL_EVENT_STATUS = {
  run_completed: "success",
  run_failed: "failed",
  run_canceled: "canceled",
  run_skipped: "skipped",
} as const satisfies Partial<Record<RunEventType, FinishedStatus>>;

export type TerminalEventType = keyof typeof TERMINAL_EVENT_STATUS;

/** True for `run_completed`, `run_failed`, `run_canceled` and `run_skipped`. */
export function isTerminalEvent(type: string): type is TerminalEventType {
  return Object.hasOwn(TERMINAL_EVENT_STATUS, type);
}
