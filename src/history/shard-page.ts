// One history object's page of runs: its newest entries after the cursor through the
// `runs_by_created` index, filtered, with counts per status (list-runs.ts merges the shards' pages).
import { query } from "../log/sql.ts";
import type { IndexRow } from "./entry-rows.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { VERSION_FILTER } from "./run-versions.ts";

export interface ListRunsQuery {
  workflow?: string;
  status?: string;
  trigger?: string;
  /** Only runs started on this code: a deployment id or a workflow structure hash (decision 0018). */
  version?: string;
  /** Only runs created at or after / before these times (epoch ms). */
  since?: number;
  until?: number;
  /** Run ids starting with this text. */
  search?: string;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  limit: number;
}

/** One run as a listing shows it. */
export interface ListedRun {
  runId: string;
  workflow: string;
  status: string;
  trigger: { type: string; source?: string };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** A page of runs, the counts per status of everything the filter matches, and the next cursor. */
export interface RunsPage {
  runs: ListedRun[];
  counts: Record<string, number>;
  next?: string;
}

/**
 * This object's page for `q`. Entries of runs that finished at or before `purgedBefore` are left
 * out: retention deletes those runs, and the sweep sheds their entries in batches (sweep.ts).
 */
export function listShardPage(sql: SqlStorage, q: ListRunsQuery, purgedBefore: number): RunsPage {
  const where = ["(finished_at IS NULL OR finished_at > ?)"];
  const params: (string | number)[] = [purgedBefore];
  if (q.workflow) where.push("workflow = ?") && params.push(q.workflow);
  if (q.status) where.push("status = ?") && params.push(q.status);
  if (q.trigger) where.push("trigger_type = ?") && params.push(q.trigger);
  if (q.version) where.push(VERSION_FILTER) && params.push(q.version, q.version);
  if (q.since !== undefined) where.push("created_at >= ?") && params.push(q.since);
  if (q.until !== undefined) where.push("created_at < ?") && params.push(q.until);
  if (q.search)
    where.push("run_id LIKE ? ESCAPE '\\'") && params.push(`${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const filter = `WHERE ${where.join(" AND ")}`;
  const counts = Object.fromEntries(
    query<{ status: string; n: number }>(
      sql,
      `SELECT status, COUNT(*) AS n FROM runs ${filter} GROUP BY status`,
      ...params,
    ).map((r) => [r.status, r.n]),
  );
  const cursor = decodeCursor(q.cursor);
  if (cursor) {
    where.push("(created_at < ? OR (created_at = ? AND run_id < ?))");
    params.push(cursor.createdAt, cursor.createdAt, cursor.runId);
  }
  const rows = query<IndexRow>(
    sql,
    `SELECT run_id, workflow, status, trigger_type, source, created_at, updated_at, finished_at FROM runs
       WHERE ${where.join(" AND ")} ORDER BY created_at DESC, run_id DESC LIMIT ?`,
    ...params,
    q.limit + 1,
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    runs: page.map((r) => ({
      runId: r.run_id,
      workflow: r.workflow,
      status: r.status,
      trigger: { type: r.trigger_type, ...(r.source ? { source: r.source } : {}) },
      createdAt: new Date(r.created_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
      ...(r.finished_at ? { finishedAt: new Date(r.finished_at).toISOString() } : {}),
    })),
    counts,
    ...(rows.length > q.limit && last ? { next: encodeCursor(last.created_at, last.run_id) } : {}),
  };
}
