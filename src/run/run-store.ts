// What a run object keeps of its own storage: the run row (cached), the event log (loaded once)
// and the timers, and the one way to write them together. A write that fails drops the cached
// copies, so memory never runs ahead of what SQLite holds (decision 0009).
import type { RunEvent } from "../../sdk/engine/events.ts";
import { RunSchema } from "../log/migrations.ts";
import { SqlEventLog } from "../log/sql-event-log.ts";
import { type Timer, Timers } from "../scheduler/timers.ts";
import { retentionDueAt } from "./maintenance.ts";
import { RunRows } from "./run-rows.ts";
import type { RunRow } from "./run-view.ts";

export class RunStore {
  readonly schema: RunSchema;
  readonly rows: RunRows;
  readonly timers: Timers;
  private loaded?: Promise<SqlEventLog>;
  /** The loaded log, once `loaded` resolved and until it is forgotten. */
  private current?: SqlEventLog;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly bucket: R2Bucket | undefined,
    /** Where this run's large values go in the bucket. */
    private readonly keyPrefix: string,
    /** How long a finished run is kept (the configuration is read when asked). */
    private readonly retentionMs: () => number,
  ) {
    this.schema = new RunSchema(storage.sql);
    this.rows = new RunRows(storage.sql, this.schema);
    this.timers = new Timers(storage, this.schema, () => this.derivedTimers());
  }

  /**
   * Whether this finished run is past its retention: its deletion may be under way (large values
   * go in batches over several alarms), so reads answer as if it were gone.
   */
  purgeDue(now = Date.now()): boolean {
    const purgeAt = retentionDueAt(this.row(), this.retentionMs());
    return purgeAt !== undefined && purgeAt <= now;
  }

  /**
   * The timers the run row implies: a new run is driven at once, a finished one deleted after
   * retention. Stored, each would be two more rows written per run.
   */
  private derivedTimers(): Timer[] {
    const row = this.row();
    if (!row) return [];
    if (row.status === "queued" && row.started_at == null)
      return [{ key: "drive", kind: "drive", dueAt: row.created_at }];
    const purgeAt = retentionDueAt(row, this.retentionMs());
    return purgeAt === undefined ? [] : [{ key: "retention", kind: "retention", dueAt: purgeAt }];
  }

  /** The event log, read from SQLite (and R2 for large values) once per object lifetime. */
  log(): Promise<SqlEventLog> {
    if (this.loaded) return this.loaded;
    const runState = (event: RunEvent) => this.rows.stateFor(event);
    const loading = SqlEventLog.load(this.storage, this.schema, this.bucket, this.keyPrefix, runState).then((log) => {
      // Only the load still wanted becomes current: one started before a `forget` is stale.
      if (this.loaded === loading) this.current = log;
      return log;
    });
    this.loaded = loading;
    return loading;
  }

  /**
   * Loads the log if needed, then runs `decide` with it in one synchronous segment: whatever
   * `decide` checks and writes, no other request can interleave (the Durable Object runs one
   * segment at a time). Every check-then-write from outside a pass goes through here.
   */
  async atomically<T>(decide: (log: SqlEventLog) => T): Promise<T> {
    for (;;) {
      await this.log();
      // A failed write elsewhere may have dropped the log while this one waited: load it again.
      if (this.current) return decide(this.current);
    }
  }

  row(): RunRow | undefined {
    return this.rows.get();
  }

  /**
   * A synchronous transaction. If it rolls back, memory may hold what it wrote: the cached run
   * row, and events the log appended (a start whose timer write failed after `run_started`). Both
   * are dropped and read again from storage, or the next append would number its event after
   * one that was never stored.
   */
  transaction(writes: () => void): void {
    try {
      this.storage.transactionSync(writes);
    } catch (error) {
      this.forget();
      throw error;
    }
  }

  /** Drops the cached row, log and tables: all are read again from storage on next use. */
  forget(): void {
    this.schema.reload();
    this.rows.forget();
    this.loaded = undefined;
    this.current = undefined;
  }

  /** After the storage was deleted: nothing cached, and no tables until a run starts here again. */
  reset(): void {
    this.forget();
  }
}
