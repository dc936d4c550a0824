// The run row: the status/timestamps projection and the index outbox versions. It has no table of
// its own: it rides on the event log, in the `run_state` column of the newest event that changed
// it (the start, a finish) or was last when the status changed, so a run that starts and finishes
// in one pass writes no row for it beyond its events (decision 0024).
import type { RunEvent } from "../../sdk/engine/events.ts";
import { isTerminalEvent, TERMINAL_EVENT_STATUS } from "../../sdk/engine/run-status.ts";
import type { RunSchema } from "../log/migrations.ts";
import { query, run } from "../log/sql.ts";
import type { RunRow, RunStatus } from "./run-view.ts";
import type { StartRequest } from "./start-request.ts";

/** The whole stored row: the view's columns and the bookkeeping ones. */
type StoredRunRow = RunRow & { input_hash: string; index_version: number; indexed_version: number };

export class RunRows {
  /** The row as last read or written; `null` when there is none. */
  private cached?: StoredRunRow | null;
  /** A new run's row, not yet on its `run_started` event's row. */
  private unplaced = false;

  /**
   * The version the history index last confirmed, kept in memory: writing it to the row would be
   * one more row per push. A new object pushes once more; the index ignores versions it has.
   */
  private pushed = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly schema: RunSchema,
  ) {}

  /** The run row, read once: every change goes through here and keeps the copy current. */
  get(): StoredRunRow | undefined {
    if (this.cached === undefined) {
      // A run not started in this object yet has no table.
      if (!this.schema.has("events")) return undefined;
      const state = query<{ run_state: string }>(
        this.sql,
        "SELECT run_state FROM events WHERE run_state IS NOT NULL ORDER BY seq DESC LIMIT 1",
      )[0]?.run_state;
      this.cached = state ? (JSON.parse(state) as StoredRunRow) : null;
    }
    return this.cached ?? undefined;
  }

  /** Drops the copy (and an unwritten `running`): read again from storage on next use. */
  forget(): void {
    this.cached = undefined;
    this.unplaced = false;
  }

  inputHash(): string | undefined {
    return this.get()?.input_hash;
  }

  /** The row of a new run; its `run_started` event, appended next in the same transaction, carries it. */
  insert(request: StartRequest, now: number): void {
    this.schema.ensure("events");
    this.cached = {
      id: request.runId,
      workflow: request.workflow,
      status: "queued",
      trigger: JSON.stringify(request.trigger),
      origin: request.origin ?? null,
      idempotency_key: request.idempotencyKey ?? null,
      input_hash: request.inputHash,
      created_at: now,
      started_at: null,
      updated_at: now,
      finished_at: null,
      wake_at: null,
      index_version: 1,
      indexed_version: 0,
      version: request.version ? JSON.stringify(request.version) : null,
    } as StoredRunRow;
    this.unplaced = true;
  }

  /**
   * The row the appended event's row carries: the new run's on `run_started`, the finished run's on
   * a terminal event (the status, `finished_at`, an unwritten `running`'s `started_at`), else none.
   */
  stateFor(event: RunEvent): string | null {
    const row = this.get();
    if (!row) return null;
    if (event.type === "run_started" && this.unplaced) {
      this.unplaced = false;
      return JSON.stringify(row);
    }
    if (!isTerminalEvent(event.type)) return null;
    const status = TERMINAL_EVENT_STATUS[event.type];
    this.cached = { ...row, status, updated_at: event.at, finished_at: event.at, wake_at: null };
    this.cached.index_version++;
    return JSON.stringify(this.cached);
  }

  /**
   * Changes status and wake time; each change bumps the version the index must catch up to.
   * `unwritten`: kept in memory until the next write (the first pass's `running`: should the pass
   * be cut off, the run reads `queued` and never started again, and its first drive runs again).
   */
  setStatus(status: RunStatus, wakeAt: number | null, startedAt?: number, unwritten = false): void {
    const row = this.get();
    const unchanged = row?.status === status && row.wake_at === wakeAt;
    if (!row || (unchanged && (startedAt === undefined || row.started_at !== null))) return;
    this.cached = { ...row, status, wake_at: wakeAt, started_at: row.started_at ?? startedAt ?? null };
    this.cached.updated_at = Date.now();
    this.cached.index_version++;
    if (unwritten || this.unplaced) return;
    // On the newest event: a later read finds it first.
    run(
      this.sql,
      "UPDATE events SET run_state = ? WHERE seq = (SELECT MAX(seq) FROM events)",
      JSON.stringify(this.cached),
    );
  }

  indexVersion(): number {
    return this.get()?.index_version ?? 0;
  }

  indexDirty(): boolean {
    const row = this.get();
    return row !== undefined && Math.max(row.indexed_version, this.pushed) < row.index_version;
  }

  markIndexed(version: number): void {
    this.pushed = Math.max(this.pushed, version);
  }
}
