// What an alarm does, decided from the run's state alone: whether to drive a pass, whether the
// run is due for deletion, and the logical clock the pass runs at.
import { isFinishedStatus, type RunStatus } from "../../sdk/engine/run-status.ts";
import type { Timer, TimerKind } from "../scheduler/timers.ts";

/** Timers that never call for a pass by themselves. */
const UPKEEP_KINDS: readonly TimerKind[] = ["index", "retention"];

export interface WakeState {
  status: RunStatus;
  /** Whether the runtime marked this alarm as a retry of one that threw. */
  isRetry: boolean;
  /** Whether a pass is executing in this object right now. */
  passInFlight: boolean;
}

export interface WakePlan {
  /** Whether to replay the run. */
  drive: boolean;
  /** Whether a finished run is due for deletion. */
  purge: boolean;
}

/**
 * The run's clock for one alarm. The runtime's alarms (which always carry invocation info) run on
 * wall time: an alarm armed for a timer that a cancel or a resume removed meanwhile must not move
 * the clock to the next timer (a retention purge or a hook timeout days early). An alarm fired by
 * hand without that info (`runDurableObjectAlarm` in tests) advances the clock to the earliest
 * timer, so sleeps and backoffs are tested through the real alarm path (decision 0002).
 */
export function logicalNow(now: number, earliestDueAt: number | undefined, info?: AlarmInvocationInfo): number {
  if (info !== undefined) return now;
  return Math.max(now, earliestDueAt ?? now);
}

/**
 * Decides one alarm. `fired` are the timers due at the logical now; `remaining` the kinds of the
 * timers left after them. A pass cut off mid-way is replayed (decision 0008): after a process restart its
 * alarm fires again without `isRetry` and its timers are gone, so a queued or running run with no
 * pass timer left (a backoff or yield keeps one) and no pass in flight is the tell.
 */
export function planWake(state: WakeState, fired: readonly Timer[], remaining: readonly TimerKind[]): WakePlan {
  const finished = isFinishedStatus(state.status);
  const cutOff =
    !state.passInFlight &&
    (state.status === "queued" || state.status === "running") &&
    !remaining.some((kind) => kind !== "hook_timeout" && !UPKEEP_KINDS.includes(kind));
  const wantsPass = state.isRetry || cutOff || fired.some((timer) => !UPKEEP_KINDS.includes(timer.kind));
  return {
    drive: wantsPass && !finished,
    purge: finished && fired.some((timer) => timer.kind === "retention"),
  };
}
