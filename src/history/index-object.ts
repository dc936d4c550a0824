// IndexObject: the run history across all workflows. Runs push their summaries here through
// an outbox (see RunObject.pushIndex); a version guard keeps late writes from going backwards.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { query, run } from "../log/sql.ts";
import type { RunSummary } from "../run/run-view.ts";
import { readConfig } from "../config.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { migrateRunVersions, recordRunVersion, takeBlockedRuns, VERSION_FILTER } from "./run-versions.ts";
import { forgetEarlierCopies, layoutSince } from "./shard-moves.ts";
import { FINISHED_STATUSES } from "../../sdk/engine/run-status.ts";
import { FlowGate } from "../flow/flow-gate.ts";
import type { GateReply, GateRequest, GateStats } from "../flow/gate-protocol.ts";
import { type PauseRecord, type PauseState, PauseStore } from "../flow/pause-store.ts";
import { type QueueCounts, QueueDirectory } from "../flow/queue-directory.ts";

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
  /** Flow-control gates live in this namespace under `flow:` names (decision 0020). */
  private readonly gate: FlowGate;
  /** Every history shard holds a copy of each workflow's pause flag (decision 0020). */
  private readonly pauses: PauseStore;
  /** Counts of the concurrency gates whose names hash here (decision 0020). */
  private readonly queues: QueueDirectory;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.gate = new FlowGate(ctx, env);
    this.pauses = new PauseStore(ctx.storage);
    this.queues = new QueueDirectory(ctx.storage);
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
    migrateRunVersions(ctx.storage.sql);
    run(ctx.storage.sql, "CREATE INDEX IF NOT EXISTS runs_by_created ON runs (created_at DESC, run_id DESC)");
    run(ctx.storage.sql, "CREATE INDEX IF NOT EXISTS runs_by_workflow ON runs (workflow, created_at DESC)");
  }

  /**
   * Inserts or updates a run's summary unless a newer version is already stored. A run created
   * before this object served `shardCount` shards, seen here for the first time after its start,
   * has moved here from an earlier shard (the count doubled) or the legacy object: its earlier
   * copies are deleted first, so it is listed and counted once (src/history/shard-moves.ts).
   */
  async upsert(summary: RunSummary, version: number, shardCount?: number): Promise<void> {
    const own = this.ctx.id.name;
    if (version > 1 && own) {
      const count = shardCount ?? readConfig(this.env).historyShards;
      const since = this.layouts.get(count) ?? layoutSince(this.ctx.storage.sql, count);
      this.layouts.set(count, since);
      if (summary.createdAt < since && !this.holds(summary.runId))
        await forgetEarlierCopies(this.env, summary.runId, count, own);
    }
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
    recordRunVersion(this.ctx.storage.sql, summary);
  }

  /** When this object first served each shard count (see layoutSince), read once per instance. */
  private readonly layouts = new Map<number, number>();

  private holds(runId: string): boolean {
    return query(this.ctx.storage.sql, "SELECT 1 FROM runs WHERE run_id = ?", runId).length > 0;
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
      `SELECT run_id FROM runs WHERE status NOT IN (${FINISHED_STATUSES.map(() => "?").join(", ")}) AND updated_at < ?
       ORDER BY checked_at ASC LIMIT ?`,
      ...FINISHED_STATUSES,
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

  /** Blocked runs for the sweep to wake; `deployment` is the one serving now (run-versions.ts). */
  async blockedRuns(now: number, limit: number, deployment?: string): Promise<string[]> {
    return takeBlockedRuns(this.ctx.storage.sql, now, limit, deployment);
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
    if (q.version) where.push(VERSION_FILTER) && params.push(q.version, q.version);
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

  // ---- flow control (src/flow, decision 0020) ------------------------------------------------

  /** A flow-control gate's request (this object is the gate named by `request.gate`). */
  async flowGate(request: GateRequest): Promise<GateReply | GateStats> {
    return this.gate.handle(request);
  }

  /** Only gates set alarms: batch deadlines, wake-up retries and the audit of slot holders. */
  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    await this.gate.alarm(info);
  }

  /** The pause of `workflow` if paused; `hold` records a run held back here until the resume. */
  async pauseCheck(workflow: string, hold?: { runId: string; acceptedAt: number }): Promise<PauseState | undefined> {
    return this.pauses.check(workflow, hold);
  }

  async pauseWorkflow(workflow: string, at: number, by?: string, reason?: string): Promise<PauseState> {
    return this.pauses.pause(workflow, at, by, reason);
  }

  async resumeWorkflow(workflow: string, at: number, by?: string, reason?: string) {
    return this.pauses.resume(workflow, at, by, reason);
  }

  async pausedWorkflows(): Promise<PauseState[]> {
    return this.pauses.list();
  }

  async flowQueueReport(workflow: string, key: string, running: number, queued: number, at: number): Promise<void> {
    this.queues.report(workflow, key, running, queued, at);
  }

  async flowQueues(workflow: string, limit: number): Promise<QueueCounts[]> {
    return this.queues.list(workflow, limit);
  }

  async pauseHistory(workflow: string, limit: number): Promise<PauseRecord[]> {
    return this.pauses.history(workflow, limit);
  }
}
