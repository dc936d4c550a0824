// One history object's `runs` rows as run summaries: writing an entry behind its version guard,
// taking one out to hand it to another shard, and shedding the entries of purged runs in batches.
import { FINISHED_STATUSES } from "../../sdk/engine/run-status.ts";
import type { RunSummary } from "../run/run-view.ts";
import { query, run } from "../log/sql.ts";
import { recordRunVersion } from "./run-versions.ts";

/** A run's entry as stored, with the version that orders its writes. */
export interface HistoryEntry {
  summary: RunSummary;
  version: number;
}

/** A `runs` row as listings read it. */
export type IndexRow = {
  run_id: string;
  workflow: string;
  status: string;
  trigger_type: string;
  source: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
};

/** The whole entry, as a move hands it over. */
type EntryRow = IndexRow & { version: number; run_deployment: string | null; run_structure: string | null };

const ENTRY_COLUMNS =
  "run_id, workflow, status, trigger_type, source, created_at, updated_at, finished_at, version, run_deployment, run_structure";

/** Entries of live runs, spelled out so that partial indexes and the queries using them match. */
const LIVE_ENTRY = `status NOT IN (${FINISHED_STATUSES.map((status) => `'${status}'`).join(", ")})`;

/** Entries of runs finished at or before `?`, oldest first: read through `runs_by_finished`. */
export const PURGED_ENTRIES_SQL =
  "SELECT run_id FROM runs WHERE finished_at IS NOT NULL AND finished_at <= ? ORDER BY finished_at LIMIT ?";
/** Live entries unchanged since `?`, least recently checked first: read through `runs_live_by_checked`. */
export const STALE_ENTRIES_SQL = `SELECT run_id FROM runs WHERE ${LIVE_ENTRY} AND updated_at < ? ORDER BY checked_at ASC LIMIT ?`;

/**
 * Partial indexes for the sweep's reads: each holds only the entries one of them wants (finished,
 * or live), so a sweep visit reads its batch without scanning a shard's whole history.
 */
export function createEntryIndexes(sql: SqlStorage): void {
  run(sql, "CREATE INDEX IF NOT EXISTS runs_by_finished ON runs (finished_at) WHERE finished_at IS NOT NULL");
  run(sql, `CREATE INDEX IF NOT EXISTS runs_live_by_checked ON runs (checked_at) WHERE ${LIVE_ENTRY}`);
}

function entryOf(r: EntryRow): HistoryEntry {
  const version = {
    ...(r.run_deployment ? { deployment: r.run_deployment } : {}),
    ...(r.run_structure ? { structure: r.run_structure } : {}),
  };
  return {
    summary: {
      runId: r.run_id,
      workflow: r.workflow,
      status: r.status as RunSummary["status"],
      trigger: { type: r.trigger_type, ...(r.source ? { source: r.source } : {}) },
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
      ...(r.run_deployment || r.run_structure ? { version } : {}),
    },
    version: r.version,
  };
}

/** Inserts or updates a run's entry unless a newer version is already stored. */
export function writeEntry(sql: SqlStorage, { summary, version }: HistoryEntry): void {
  run(
    sql,
    `INSERT INTO runs (run_id, workflow, status, trigger_type, source, created_at, updated_at, finished_at, version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(run_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at,
       finished_at = excluded.finished_at, version = excluded.version
     WHERE excluded.version > runs.version`,
    summary.runId,
    summary.workflow,
    summary.status,
    summary.trigger.type,
    summary.trigger.source ?? null,
    summary.createdAt,
    summary.updatedAt,
    summary.finishedAt ?? null,
    version,
  );
  recordRunVersion(sql, summary);
}

/** Whether this object holds an entry of `runId`. */
export function holdsEntry(sql: SqlStorage, runId: string): boolean {
  return query(sql, "SELECT 1 FROM runs WHERE run_id = ?", runId).length > 0;
}

/** Deletes `runId`'s entry and returns it (undefined when there was none). */
export function takeEntry(sql: SqlStorage, runId: string): HistoryEntry | undefined {
  const row = query<EntryRow>(sql, `SELECT ${ENTRY_COLUMNS} FROM runs WHERE run_id = ?`, runId)[0];
  if (!row) return undefined;
  run(sql, "DELETE FROM runs WHERE run_id = ?", runId);
  return entryOf(row);
}

/** Up to `limit` entries, oldest first (the sweep drains the legacy object with them). */
export function oldestEntries(sql: SqlStorage, limit: number): HistoryEntry[] {
  return query<EntryRow>(sql, `SELECT ${ENTRY_COLUMNS} FROM runs ORDER BY created_at ASC LIMIT ?`, limit).map(entryOf);
}

/**
 * Deletes up to `limit` entries of runs that finished at or before `before` (retention has
 * purged or is purging them), read through `runs_by_finished`: one call touches at most `limit`
 * rows however many are due, so shedding a backlog never holds the shard long. Returns how many.
 */
export function shedPurgedEntries(sql: SqlStorage, before: number, limit: number): number {
  const due = query<{ run_id: string }>(sql, PURGED_ENTRIES_SQL, before, limit);
  for (const { run_id } of due) run(sql, "DELETE FROM runs WHERE run_id = ?", run_id);
  return due.length;
}

/**
 * Live runs whose entry has not changed since `before`, least recently checked first, at most
 * `limit`; marks them checked so the next sweep looks at others.
 */
export function takeStaleEntries(sql: SqlStorage, before: number, limit: number, now = Date.now()): string[] {
  const rows = query<{ run_id: string }>(sql, STALE_ENTRIES_SQL, before, limit);
  for (const row of rows) run(sql, "UPDATE runs SET checked_at = ? WHERE run_id = ?", now, row.run_id);
  return rows.map((row) => row.run_id);
}
