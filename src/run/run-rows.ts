// The run row: the status/timestamps projection and the index outbox versions, in SQL.
import type { RunSchema } from "../log/migrations.ts";
import { query, run } from "../log/sql.ts";
import type { RunRow, RunStatus } from "./run-view.ts";
import type { StartRequest } from "./start-request.ts";

/** The whole stored row: the view's columns and the bookkeeping ones. */
type StoredRunRow = RunRow & { input_hash: string; index_version: number; indexed_version: number };

export class RunRows {
  /** The row as last read; `null` when there is none. Every write here forgets it (see `forget`). */
  private cached?: StoredRunRow | null;

  /**
   * The version the history index last confirmed, kept in memory: writing it to the row would be
   * one more row per push. A new object pushes once more; the index ignores versions it has.
   */
  private pushed = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly schema: RunSchema,
  ) {}

  /** The run row, read once until something writes it: a run reads it a dozen times per pass. */
  get(): StoredRunRow | undefined {
    if (this.cached === undefined) {
      // A run not started in this object yet has no table.
      if (!this.schema.has("run")) return undefined;
      this.cached =
        query<StoredRunRow & Record<string, string | number | null>>(this.sql, "SELECT * FROM run")[0] ?? null;
    }
    return this.cached ?? undefined;
  }

  /** Drops the cached row; called after any write to the table made elsewhere (the log's projection). */
  forget(): void {
    this.cached = undefined;
  }

  inputHash(): string | undefined {
    return this.get()?.input_hash;
  }

  /** The row of a new run; its tables are created here, in the start's transaction. */
  insert(request: StartRequest, now: number): void {
    this.forget();
    this.schema.ensure("run");
    this.schema.ensure("events");
    run(
      this.sql,
      `INSERT INTO run (id, workflow, status, trigger, origin, idempotency_key, input_hash, created_at, updated_at, index_version, version)
       VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, 1, ?)`,
      request.runId,
      request.workflow,
      JSON.stringify(request.trigger),
      request.origin ?? null,
      request.idempotencyKey ?? null,
      request.inputHash,
      now,
      now,
      request.version ? JSON.stringify(request.version) : null,
    );
  }

  /** Changes status and wake time; each change bumps the version the index must catch up to. */
  setStatus(status: RunStatus, wakeAt: number | null, startedAt?: number): void {
    const row = this.get();
    if (!row || (row.status === status && row.wake_at === wakeAt && startedAt === undefined)) return;
    this.forget();
    run(
      this.sql,
      "UPDATE run SET status = ?, wake_at = ?, started_at = COALESCE(started_at, ?), updated_at = ?, index_version = index_version + 1",
      status,
      wakeAt,
      startedAt ?? null,
      Date.now(),
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
