// A concurrency gate's slots and queue, in its SQLite: who holds a slot, who waits and in which
// order. Every function is one synchronous segment, so no request interleaves with a decision.
import { FLOW_PRIORITY_AGING_MS, FLOW_PRIORITY_MAX } from "../limits.ts";
import { query, run } from "../log/sql.ts";

/**
 * A waiter's place in line: its enqueue time moved earlier by one aging period per point of
 * priority. Higher priority starts first, equal ranks in arrival order, and a run that waited
 * `p` minutes ranks with a new run of priority `p` higher: nothing is overtaken for ever.
 * @example queueRank(1_000_000, 2) // 1_000_000 - 2 * 60_000
 */
export function queueRank(enqueuedAt: number, priority: number): number {
  const p = Number.isFinite(priority) ? Math.max(-FLOW_PRIORITY_MAX, Math.min(FLOW_PRIORITY_MAX, priority)) : 0;
  return Math.round(enqueuedAt - p * FLOW_PRIORITY_AGING_MS);
}

function counter(sql: SqlStorage, name: string): number {
  return Number(query<{ v: string }>(sql, "SELECT v FROM flow_meta WHERE k = ?", name)[0]?.v ?? 0);
}

function bump(sql: SqlStorage, name: string): void {
  run(
    sql,
    "INSERT INTO flow_meta (k, v) VALUES (?, '1') ON CONFLICT(k) DO UPDATE SET v = CAST(v AS INTEGER) + 1",
    name,
  );
}

export function holds(sql: SqlStorage, runId: string): boolean {
  return query(sql, "SELECT 1 AS x FROM flow_holders WHERE run_id = ?", runId).length > 0;
}

/** Moves waiters, best rank first, into free slots; they are granted but not yet told (`notified = 0`). */
function fill(sql: SqlStorage, limit: number, now: number): void {
  const held = query<{ n: number }>(sql, "SELECT COUNT(*) AS n FROM flow_holders")[0]?.n ?? 0;
  if (held >= limit) return;
  const next = query<{ run_id: string }>(
    sql,
    "SELECT run_id FROM flow_waiters ORDER BY rank, seq LIMIT ?",
    limit - held,
  );
  for (const { run_id } of next) {
    run(sql, "DELETE FROM flow_waiters WHERE run_id = ?", run_id);
    run(sql, "INSERT INTO flow_holders (run_id, granted_at, notified) VALUES (?, ?, 0)", run_id, now);
    bump(sql, "granted");
  }
}

/**
 * Takes a slot for `runId` or queues it. Idempotent: a holder is granted again, a waiter keeps its
 * place. The limit is the caller's (the deployed definition's), so a deploy that changes it applies.
 */
export function acquireSlot(
  sql: SqlStorage,
  runId: string,
  priority: number,
  limit: number,
  now: number,
): { granted: true } | { granted: false; position: number; since: number } {
  if (!holds(sql, runId)) {
    run(
      sql,
      "INSERT OR IGNORE INTO flow_waiters (run_id, rank, enqueued_at) VALUES (?, ?, ?)",
      runId,
      queueRank(now, priority),
      now,
    );
    fill(sql, limit, now);
  }
  if (holds(sql, runId)) {
    // The caller itself asked: it needs no wake-up.
    run(sql, "UPDATE flow_holders SET notified = 1 WHERE run_id = ?", runId);
    return { granted: true };
  }
  const mine = query<{ rank: number; seq: number; enqueued_at: number }>(
    sql,
    "SELECT rank, seq, enqueued_at FROM flow_waiters WHERE run_id = ?",
    runId,
  )[0]!;
  const ahead =
    query<{ n: number }>(
      sql,
      "SELECT COUNT(*) AS n FROM flow_waiters WHERE rank < ? OR (rank = ? AND seq < ?)",
      mine.rank,
      mine.rank,
      mine.seq,
    )[0]?.n ?? 0;
  return { granted: false, position: ahead + 1, since: mine.enqueued_at };
}

/**
 * Frees `runId`'s slot (or its place in line) and grants freed slots to the next waiters. True
 * only for the call that actually freed a slot: a repeated release is a no-op.
 */
export function releaseSlot(sql: SqlStorage, runId: string, limit: number | undefined, now: number): boolean {
  const released = holds(sql, runId);
  if (released) {
    run(sql, "DELETE FROM flow_holders WHERE run_id = ?", runId);
    bump(sql, "released");
  }
  run(sql, "DELETE FROM flow_waiters WHERE run_id = ?", runId);
  if (limit !== undefined) fill(sql, limit, now);
  return released;
}

/** Holders granted a slot that have not been told yet. */
export function unnotified(sql: SqlStorage, limit: number): string[] {
  return query<{ run_id: string }>(sql, "SELECT run_id FROM flow_holders WHERE notified = 0 LIMIT ?", limit).map(
    (r) => r.run_id,
  );
}

export function markNotified(sql: SqlStorage, runId: string): void {
  run(sql, "UPDATE flow_holders SET notified = 1 WHERE run_id = ?", runId);
}

export function holderIds(sql: SqlStorage): string[] {
  return query<{ run_id: string }>(sql, "SELECT run_id FROM flow_holders").map((r) => r.run_id);
}

export function slotCounts(sql: SqlStorage) {
  const n = (statement: string) => query<{ n: number }>(sql, statement)[0]?.n ?? 0;
  return {
    running: n("SELECT COUNT(*) AS n FROM flow_holders"),
    queued: n("SELECT COUNT(*) AS n FROM flow_waiters"),
    granted: counter(sql, "granted"),
    released: counter(sql, "released"),
  };
}
