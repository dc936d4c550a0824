// Upkeep decisions for a run: when a finished run is deleted, and whether the periodic sweep
// should re-drive a live one whose alarm was lost.
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import type { RunRow } from "./run-view.ts";

/** When a finished run is deleted; a live run never is (undefined). */
export function retentionDueAt(row: RunRow | undefined, retentionMs: number): number | undefined {
  if (!row?.finished_at || !isFinishedStatus(row.status)) return undefined;
  return row.finished_at + retentionMs;
}

export type WatchdogVerdict = { kind: "finished" | "healthy" | "waiting" } | { kind: "stalled"; detail: string };

/**
 * A live run with no pass in flight and nothing armed to wake it is stalled (its alarm was lost);
 * one waiting on a hook with no timeout, or blocked, is only waiting.
 */
export function watchdogVerdict(
  row: RunRow | undefined,
  state: { passInFlight: boolean; alarmSet: boolean; earliestTimer: number | undefined },
): WatchdogVerdict {
  if (!row || isFinishedStatus(row.status)) return { kind: "finished" };
  // A blocked run waits for code that replays it; the sweep wakes it apart (decision 0018).
  if (row.status === "blocked") return { kind: "waiting" };
  if (state.passInFlight || state.alarmSet) return { kind: "healthy" };
  if (state.earliestTimer === undefined && row.status === "waiting_on_hook") return { kind: "waiting" };
  const detail =
    state.earliestTimer === undefined
      ? `status ${row.status} with no timer and no alarm`
      : "a timer was due with no alarm set";
  return { kind: "stalled", detail };
}
