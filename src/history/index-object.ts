// IndexObject: the run history across all workflows. Runs push their summaries here through
// an outbox (see RunObject.pushIndex); a version guard keeps late writes from going backwards.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { query, run } from "../log/sql.ts";
import type { RunSummary } from "../run/run-view.ts";
import { readConfig } from "../config.ts";
import {
  createEntryIndexes,
  type HistoryEntry,
  holdsEntry,
  oldestEntries,
  shedPurgedEntries,
  takeEntry,
  takeStaleEntries,
  writeEntry,
} from "./entry-rows.ts";
import { migrateRunVersions, takeBlockedRuns } from "./run-versions.ts";
import { type ListRunsQuery, listShardPage, type RunsPage } from "./shard-page.ts";
import { announceShardCount, earlierShards, ShardLayouts, takeEarlierCopies } from "./shard-moves.ts";
import { LEGACY_HISTORY_SHARD, shardName } from "./shards.ts";
import { FlowGate } from "../flow/flow-gate.ts";
import type { GateReply, GateRequest, GateStats } from "../flow/gate-protocol.ts";
import { type PauseRecord, type PauseState, PauseStore } from "../flow/pause-store.ts";
import { type QueueCounts, QueueDirectory } from "../flow/queue-directory.ts";

export type { ListedRun, ListRunsQuery, RunsPage } from "./shard-page.ts";

export class IndexObject extends DurableObject<Env> {
  /** Flow-control gates live in this namespace under `flow:` names (decision 0020). */
  private readonly gate: FlowGate;
  /** Every history shard holds a copy of each workflow's pause flag (decision 0020). */
  private readonly pauses: PauseStore;
  /** Counts of the concurrency gates whose names hash here (decision 0020). */
  private readonly queues: QueueDirectory;
  /** Shard counts this object served or heard of (shard-moves.ts). */
  private readonly layouts: ShardLayouts;

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
    createEntryIndexes(ctx.storage.sql);
    this.layouts = new ShardLayouts(ctx.storage.sql);
    run(ctx.storage.sql, "CREATE INDEX IF NOT EXISTS runs_by_created ON runs (created_at DESC, run_id DESC)");
    run(ctx.storage.sql, "CREATE INDEX IF NOT EXISTS runs_by_workflow ON runs (workflow, created_at DESC)");
  }

  /**
   * Inserts or updates a run's summary unless a newer version is already stored (decision 0015).
   * A summary written under a smaller count than this shard knows is served goes to the run's
   * shard under that count instead (an isolate still running with the old count). A run created
   * before this shard served `shardCount`, seen here for the first time after its start, has moved
   * here: its earlier copies are taken over, so it is listed once with its newest version
   * (src/history/shard-moves.ts).
   */
  async upsert(summary: RunSummary, version: number, shardCount?: number): Promise<void> {
    const own = this.ctx.id.name;
    const sql = this.ctx.storage.sql;
    const copies: HistoryEntry[] = [];
    if (own && own !== LEGACY_HISTORY_SHARD) {
      let count = shardCount ?? readConfig(this.env).historyShards;
      const largest = this.layouts.largest();
      if (largest > count) {
        const home = shardName(summary.runId, largest);
        if (home !== own) return this.env.INDEX.get(this.env.INDEX.idFromName(home)).upsert(summary, version, largest);
        count = largest;
      }
      const since = await this.servingSince(own, count);
      if (version > 1 && summary.createdAt < since && !holdsEntry(sql, summary.runId))
        copies.push(...(await takeEarlierCopies(this.env, summary.runId, count, own)));
    }
    // The version guard keeps the newest of the summary and the copies, whatever their order.
    writeEntry(sql, { summary, version });
    for (const copy of copies) writeEntry(sql, copy);
  }

  /** When this shard first served `count`; the first time, its parent shards hear of it first. */
  private async servingSince(own: string, count: number): Promise<number> {
    const known = this.layouts.since(count);
    if (known !== undefined) return known;
    await announceShardCount(this.env, own, count);
    return this.layouts.record(count);
  }

  /**
   * Deletes and returns `runId`'s entry for the shard that holds the run under `shardCount`, and
   * remembers that count: later summaries written here under a smaller one are forwarded there.
   */
  async handOver(runId: string, shardCount: number): Promise<HistoryEntry | undefined> {
    if (this.ctx.id.name !== LEGACY_HISTORY_SHARD) this.layouts.record(shardCount);
    return takeEntry(this.ctx.storage.sql, runId);
  }

  /** A shard under `shardCount` announces it is served (see handOver for what changes). */
  async knowShardCount(shardCount: number): Promise<void> {
    if (this.ctx.id.name !== LEGACY_HISTORY_SHARD) this.layouts.record(shardCount);
  }

  /**
   * Forgets a run (retention deleted it). Given the run's `createdAt`, a run this shard does not
   * hold that may have stayed where it was written before the count grew is forgotten there too,
   * and so is a copy in its shard under a larger count this shard knows: a purge reaches the entry
   * wherever it is, in one request when it is here.
   */
  async remove(runId: string, createdAt?: number, shardCount?: number): Promise<void> {
    const own = this.ctx.id.name;
    const held = takeEntry(this.ctx.storage.sql, runId) !== undefined;
    if (held || createdAt === undefined || !own || own === LEGACY_HISTORY_SHARD) return;
    const count = shardCount ?? readConfig(this.env).historyShards;
    const elsewhere = createdAt < (this.layouts.since(count) ?? Number.POSITIVE_INFINITY);
    const largest = this.layouts.largest();
    const names = [
      ...(elsewhere ? earlierShards(runId, count, own) : []),
      ...(largest > count && shardName(runId, largest) !== own ? [shardName(runId, largest)] : []),
    ];
    await Promise.all(names.map((name) => this.env.INDEX.get(this.env.INDEX.idFromName(name)).forget([runId])));
  }

  /**
   * Drops up to `limit` entries of runs that finished at or before `before` (retention purges
   * them; an entry a moved run left behind is not reached by its purge). Returns how many.
   */
  async shedPurged(before: number, limit: number): Promise<number> {
    return shedPurgedEntries(this.ctx.storage.sql, before, limit);
  }

  /**
   * Live runs whose summary has not changed since `before`, least recently checked first; marks
   * them checked so the next sweep looks at others.
   */
  async staleRuns(before: number, limit: number): Promise<string[]> {
    return takeStaleEntries(this.ctx.storage.sql, before, limit);
  }

  /**
   * Up to `limit` entries with their versions, oldest first, for the sweep to move into their
   * shards (the legacy object drains this way); `forget` deletes them once they are moved.
   */
  async entries(limit: number): Promise<HistoryEntry[]> {
    return oldestEntries(this.ctx.storage.sql, limit);
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
    // Entries of runs retention has deleted are hidden before the sweep sheds them.
    return listShardPage(this.ctx.storage.sql, q, Date.now() - readConfig(this.env).retentionMs);
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
