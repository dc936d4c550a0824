// What a suspended pass means for the run: the status it shows and the timers that wake it.
import type { Wait } from "../../sdk/engine/driver.ts";
import type { TimerKind } from "../scheduler/timers.ts";
import type { RunStatus } from "./run-view.ts";

export interface SuspensionPlan {
  status: RunStatus;
  /** Earliest time-based wake-up (sleep, retry, yield), shown as the run's `wakeAt`. */
  wakeAt: number | null;
  timers: { key: string; kind: TimerKind; dueAt: number }[];
}

/**
 * Waiting on any hook reads `waiting_on_hook`; else any sleep reads `sleeping`; a retry backoff,
 * a yield or an offloaded step keeps `running`. Hook timeouts and offloaded steps' re-dispatch
 * deadlines are timers but not the run's `wakeAt`.
 */
export function planSuspension(waits: readonly Wait[]): SuspensionPlan {
  let status: RunStatus = "running";
  let wakeAt: number | null = null;
  const timers: SuspensionPlan["timers"] = [];
  for (const wait of waits) {
    if (wait.kind === "hook") {
      status = "waiting_on_hook";
      if (wait.timeoutAt !== undefined)
        timers.push({ key: `hook:${wait.stepId}`, kind: "hook_timeout", dueAt: wait.timeoutAt });
      continue;
    }
    // An offloaded step is out (decision 0023): the run stays `running`; its timer only re-dispatches.
    if (wait.kind === "offload") {
      timers.push({ key: `offload:${wait.stepId}`, kind: "offload", dueAt: wait.wakeAt });
      continue;
    }
    if (wait.kind === "sleep" && status === "running") status = "sleeping";
    timers.push({
      key: wait.kind === "yield" ? "yield" : `${wait.kind}:${wait.stepId}`,
      kind: wait.kind,
      dueAt: wait.wakeAt,
    });
    wakeAt = wakeAt === null ? wait.wakeAt : Math.min(wakeAt, wait.wakeAt);
  }
  return { status, wakeAt, timers };
}
