// IndexObject: the run history across all workflows. Runs push their summaries here through
// an outbox (see RunObject.pushIndex); a version guard keeps late writes from going backwards.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { query, run } from "../log/sql.ts";
import type { RunSummary } from "../run/run-view.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";

export interface ListRunsQuery {
  workflow?: string;
  status?: string;
  trigger?: string;
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

type IndexRow = {
  run_id: string;
  workflow: string;
  status: string;
  trigger_type: string;
  source: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
};

export class IndexObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    run(
      ctx.storage.sql,
      `CREATE TABLE IF NOT EXISTS runs (
      run_id TEXT PRIMARY KEY, workflow TEXT NOT NULL, status TEXT NOT NULL, trigger_type TEXT NOT NULL,
      source TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, finished_at INTEGER,
      version INTEGER NOT NULL)`,
    );
    // Tables made before the watchdog existed lack its column.
    const columns = query<{ name: string }>(ctx.storage.sql, "PRAGMA table_info(runs)").map((c) => c.name);
    if (!columns.includes("checked_at"))
      run(ctx.storage.sql, "ALTER TABLE runs ADD COLUMN checked_at INTEGER NOT NULL DEFAULT 0");
    run(ctx.storage.sql, "CREATE INDEX IF NOT EXISTS runs_by_created ON runs (created_at DESC, run_id DESC)");
    run(ctx.storage.sql, "CREATE INDEX IF NOT EXISTS runs_by_workflow ON runs (workflow, created_at DESC)");
  }

  /** Inserts or updates a run's summary unless a newer version is already stored. */
  async upsert(summary: RunSummary, version: number): Promise<void> {
    run(
      this.ctx.storage.sql,
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
  }

  /** Forgets a run (retention deleted it). */
  async remove(runId: string): Promise<void> {
    run(this.ctx.storage.sql, "DELETE FROM runs WHERE run_id = ?", runId);
  }

  /**
   * Live runs whose summary has not changed since `before`, least recently checked first; marks
   * them checked so the next sweep looks at others.
   */
  async staleRuns(before: number, limit: number): Promise<string[]> {
    const rows = query<{ run_id: string }>(
      this.ctx.storage.sql,
      `SELECT run_id FROM runs WHERE status NOT IN ('success', 'failed', 'canceled') AND updated_at < ?
       ORDER BY checked_at ASC LIMIT ?`,
      before,
      limit,
    );
    const now = Date.now();
    for (const row of rows)
      run(this.ctx.storage.sql, "UPDATE runs SET checked_at = ? WHERE run_id = ?", now, row.run_id);
    return rows.map((row) => row.run_id);
  }

  /**
   * Up to `limit` entries with their versions, oldest first, for the sweep to move into their
   * shards (the legacy object drains this way); `forget` deletes them once they are moved.
   */
  async entries(limit: number): Promise<{ summary: RunSummary; version: number }[]> {
    const rows = query<IndexRow & { version: number }>(
      this.ctx.storage.sql,
      `SELECT run_id, workflow, status, trigger_type, source, created_at, updated_at, finished_at, version
       FROM runs ORDER BY created_at ASC LIMIT ?`,
      limit,
    );
    return rows.map((r) => ({
      summary: {
        runId: r.run_id,
        workflow: r.workflow,
        status: r.status as RunSummary["status"],
        trigger: { type: r.trigger_type, ...(r.source ? { source: r.source } : {}) },
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
      },
      version: r.version,
    }));
  }

  /** Forgets these runs (moved elsewhere, or deleted by retention). */
  async forget(runIds: string[]): Promise<void> {
    for (const runId of runIds) run(this.ctx.storage.sql, "DELETE FROM runs WHERE run_id = ?", runId);
  }

  /** Newest first, filtered, with a cursor for the next page and counts per status. */
  async list(q: ListRunsQuery): Promise<RunsPage> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.workflow) where.push("workflow = ?") && params.push(q.workflow);
    if (q.status) where.push("status = ?") && params.push(q.status);
    if (q.trigger) where.push("trigger_type = ?") && params.push(q.trigger);
    if (q.since !== undefined) where.push("created_at >= ?") && params.push(q.since);
    if (q.until !== undefined) where.push("created_at < ?") && params.push(q.until);
    if (q.search)
      where.push("run_id LIKE ? ESCAPE '\\'") && params.push(`${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const filter = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const counts = Object.fromEntries(
      query<{ status: string; n: number }>(
        this.ctx.storage.sql,
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
      this.ctx.storage.sql,
      `SELECT run_id, workflow, status, trigger_type, source, created_at, updated_at, finished_at FROM runs
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, run_id DESC LIMIT ?`,
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
}
