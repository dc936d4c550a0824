// The one-shot gates a start passes before it may execute: rate-limit reservations, the debounce
// burst and the singleton holder, each in its gate's SQLite, each one synchronous segment.
import { query, run } from "../log/sql.ts";

/**
 * Reserves a start time for `runId`: at most `limit` reservations fall in any window of
 * `periodMs`. Reservations are handed out in order, so the new one is either now or one period
 * after the `limit`-th latest. Idempotent by run id. `drop`: no reservation when it is not now.
 */
export function reserveStart(
  sql: SqlStorage,
  runId: string,
  now: number,
  limit: number,
  periodMs: number,
  drop: boolean,
): { at: number } | { dropped: true } {
  const existing = query<{ at: number }>(sql, "SELECT at FROM flow_reservations WHERE run_id = ?", runId)[0];
  if (existing) return { at: existing.at };
  run(sql, "DELETE FROM flow_reservations WHERE at <= ?", now - periodMs);
  const recent = query<{ at: number }>(sql, "SELECT at FROM flow_reservations ORDER BY at DESC LIMIT ?", limit);
  const at = recent.length < limit ? now : Math.max(now, recent[limit - 1]!.at + periodMs);
  if (drop && at > now) return { dropped: true };
  run(sql, "INSERT INTO flow_reservations (run_id, at) VALUES (?, ?)", runId, at);
  return { at };
}

type DebounceRow = {
  pending: string | null;
  first_at: number | null;
  due_at: number | null;
  last_started: string | null;
};

/**
 * One start of a debounce burst. The newest start of a burst is the pending one (the older
 * pending start is superseded: `superseded` names it); it starts once `due` passes, `period` after
 * the last start or `maxWait` after the first, whichever is earlier.
 */
export function debounceStart(
  sql: SqlStorage,
  runId: string,
  now: number,
  periodMs: number,
  maxWaitMs: number | undefined,
):
  | { verdict: "pass"; superseded?: string }
  | { verdict: "wait"; until: number; since: number; superseded?: string }
  | { verdict: "skip"; by: string } {
  const by = query<{ by: string }>(sql, "SELECT by FROM flow_superseded WHERE run_id = ?", runId)[0]?.by;
  if (by) return { verdict: "skip", by };
  const state = query<DebounceRow>(sql, "SELECT pending, first_at, due_at, last_started FROM flow_debounce")[0];
  if (state?.last_started === runId) return { verdict: "pass" };
  const start = () => {
    run(
      sql,
      "INSERT INTO flow_debounce (id, pending, first_at, due_at, last_started) VALUES (1, NULL, NULL, NULL, ?) ON CONFLICT(id) DO UPDATE SET pending = NULL, first_at = NULL, due_at = NULL, last_started = excluded.last_started",
      runId,
    );
    return { verdict: "pass" } as const;
  };
  if (state?.pending === runId) {
    if ((state.due_at ?? 0) <= now) return start();
    return { verdict: "wait", until: state.due_at!, since: state.first_at ?? now };
  }
  let superseded: string | undefined;
  let firstAt = now;
  if (state?.pending) {
    superseded = state.pending;
    firstAt = state.first_at ?? now;
    run(sql, "INSERT OR REPLACE INTO flow_superseded (run_id, by) VALUES (?, ?)", superseded, runId);
  }
  const due = Math.min(now + periodMs, maxWaitMs === undefined ? Number.POSITIVE_INFINITY : firstAt + maxWaitMs);
  // maxWait already ran out: this start goes now (the superseded one was told above).
  if (due <= now) return { ...start(), ...(superseded ? { superseded } : {}) };
  run(
    sql,
    "INSERT INTO flow_debounce (id, pending, first_at, due_at, last_started) VALUES (1, ?, ?, ?, NULL) ON CONFLICT(id) DO UPDATE SET pending = excluded.pending, first_at = excluded.first_at, due_at = excluded.due_at",
    runId,
    firstAt,
    due,
  );
  return { verdict: "wait", until: due, since: firstAt, ...(superseded ? { superseded } : {}) };
}

/** The run holding a singleton gate, if any. */
export function singletonHolder(sql: SqlStorage): string | undefined {
  return query<{ run_id: string | null }>(sql, "SELECT run_id FROM flow_single WHERE id = 1")[0]?.run_id ?? undefined;
}

export function setSingletonHolder(sql: SqlStorage, runId: string | null): void {
  run(
    sql,
    "INSERT INTO flow_single (id, run_id) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET run_id = excluded.run_id",
    runId,
  );
}

/** Clears the run from the one-shot gates it may sit in (its start ended or was canceled). */
export function releaseStart(sql: SqlStorage, runId: string): void {
  if (singletonHolder(sql) === runId) setSingletonHolder(sql, null);
  run(sql, "UPDATE flow_debounce SET pending = NULL, first_at = NULL, due_at = NULL WHERE pending = ?", runId);
}
