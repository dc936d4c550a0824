// What a run object keeps of its own storage: the run row (cached), the event log (loaded once)
// and the timers, and the one way to write them together. A write that fails drops the cached
// copies, so memory never runs ahead of what SQLite holds (decision 0009).
import { migrate } from "../log/migrations.ts";
import { SqlEventLog } from "../log/sql-event-log.ts";
import { Timers } from "../scheduler/timers.ts";
import { RunRows } from "./run-rows.ts";
import type { RunRow } from "./run-view.ts";

export class RunStore {
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
  ) {
    migrate(storage.sql);
    this.timers = new Timers(storage);
    this.rows = new RunRows(storage.sql);
  }

  /** The event log, read from SQLite (and R2 for large values) once per object lifetime. */
  log(): Promise<SqlEventLog> {
    if (this.loaded) return this.loaded;
    const loading = SqlEventLog.load(this.storage, this.bucket, this.keyPrefix).then((log) => {
      // A terminal event's projection rewrites the run row.
      log.subscribe(() => this.rows.forget());
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

  /** Drops the cached row and log: both are read again from storage on next use. */
  forget(): void {
    this.rows.forget();
    this.loaded = undefined;
    this.current = undefined;
  }

  /** After the storage was deleted: nothing cached, and the empty schema again. */
  reset(): void {
    this.forget();
    migrate(this.storage.sql);
  }
}
