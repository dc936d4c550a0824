// The run's event log in its Durable Object's SQLite, with the run/hook projections written
// in the same transaction as the event that changes them, so a crash can never split them. The
// run row rides on the events (`run_state`, run-rows.ts): an event that changes it carries it.
// Values over LARGE_VALUE_BYTES live in R2; the row keeps a typed reference and loading puts
// the value back, so replay and the API never see the difference.
import type { AppendOptions, EventLog, LargeValueRef } from "../../sdk/engine/event-log.ts";
import type { NewRunEvent, RunEvent } from "../../sdk/engine/events.ts";
import { isTerminalEvent } from "../../sdk/engine/run-status.ts";
import { LARGE_VALUE_BYTES, LARGE_VALUE_READ_BYTES, LARGE_VALUE_READS } from "../limits.ts";
import { decodeColumns, type EventColumns, encodeEvent } from "./event-codec.ts";
import type { RunSchema } from "./migrations.ts";
import { query, run } from "./sql.ts";

type EventRow = EventColumns & {
  seq: number;
  at: number;
  blob_ref: string | null;
  [column: string]: string | number | null;
};

/** Groups large values into batches read from R2 together (see LARGE_VALUE_READS). */
function readBatches<T extends { ref: LargeValueRef }>(values: T[]): T[][] {
  const batches: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const value of values) {
    const size = value.ref.bytes;
    if (batch.length && (batch.length >= LARGE_VALUE_READS || bytes + size > LARGE_VALUE_READ_BYTES)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(value);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

export class SqlEventLog implements EventLog {
  readonly largeValueBytes?: number;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly storage: DurableObjectStorage,
    private readonly schema: RunSchema,
    readonly events: RunEvent[],
    private readonly bucket: R2Bucket | undefined,
    private readonly keyPrefix: string,
    /** The run row an appended event's row carries, if the event changes it (RunRows.stateFor). */
    private readonly runState: (event: RunEvent) => string | null,
  ) {
    if (bucket) this.largeValueBytes = LARGE_VALUE_BYTES;
  }

  /** Reads the whole log, fetching values that were stored in R2. */
  static async load(
    storage: DurableObjectStorage,
    schema: RunSchema,
    bucket?: R2Bucket,
    keyPrefix = "runs",
    runState: (event: RunEvent) => string | null = () => null,
  ): Promise<SqlEventLog> {
    const events: RunEvent[] = [];
    const external: { index: number; seq: number; ref: LargeValueRef }[] = [];
    // Raw rows (arrays, not objects keyed by column) and a single pass: the load is half the
    // cost of a cold replay. A run not started here yet has no table.
    const rows = schema.has("events")
      ? storage.sql
          .exec<EventRow>("SELECT type, step_id, attempt, seq, at, data, blob_ref FROM events ORDER BY seq")
          .raw()
      : [];
    for (const row of rows) {
      const [type, stepId, attempt, seq, at, data, blobRef] = row as [
        string,
        string | null,
        number | null,
        number,
        number,
        string,
        string | null,
      ];
      if (blobRef !== null) external.push({ index: events.length, seq, ref: JSON.parse(blobRef) as LargeValueRef });
      events.push(decodeColumns(type, stepId, attempt, seq, at, data));
    }
    // Large values come back from R2 a few at a time rather than one after another: a run with
    // many large outputs (long agent transcripts) would otherwise wait out each round trip.
    const fetchOne = async ({ index, seq, ref }: (typeof external)[number]) => {
      const object = await bucket?.get(ref.key);
      if (!object) throw new Error(`large value ${ref.key} of event ${seq} is missing from R2`);
      (events[index] as { output?: unknown }).output = JSON.parse(await object.text());
    };
    for (const batch of readBatches(external)) await Promise.all(batch.map(fetchOne));
    return new SqlEventLog(storage, schema, events, bucket, keyPrefix, runState);
  }

  async externalize(json: string, bytes: number): Promise<LargeValueRef> {
    if (!this.bucket) throw new Error("no R2 bucket bound for large values");
    const key = `${this.keyPrefix}/${crypto.randomUUID()}.json`;
    await this.bucket.put(key, json, { httpMetadata: { contentType: "application/json" } });
    return { key, bytes };
  }

  append(event: NewRunEvent, options?: AppendOptions): RunEvent {
    const stored = { ...event, seq: this.events.length + 1, at: Date.now() } as RunEvent;
    const ref = options?.externalOutput;
    const columns = encodeEvent(event, ref ? { $ref: "r2", ...ref } : undefined);
    const sql = this.storage.sql;
    const write = () => {
      this.schema.ensure("events");
      run(
        sql,
        "INSERT INTO events (seq, type, step_id, attempt, at, data, blob_ref, run_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        stored.seq,
        columns.type,
        columns.step_id,
        columns.attempt,
        stored.at,
        columns.data,
        ref ? JSON.stringify(ref) : null,
        this.runState(stored),
      );
      this.project(stored);
    };
    if (needsProjection(stored)) this.storage.transactionSync(write);
    else write();
    this.events.push(stored);
    for (const listener of this.listeners) listener();
    return stored;
  }

  /** Resolves once the log holds more than `after` events, or after `timeoutMs`. */
  waitForMore(after: number, timeoutMs: number): Promise<void> {
    if (this.events.length > after) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        unsubscribe();
        clearTimeout(timer);
        resolve();
      };
      const unsubscribe = this.subscribe(done);
      const timer = setTimeout(done, timeoutMs);
    });
  }

  /** Storage a run uses: the SQLite file and the bytes of its event rows (for benchmarks and ops). */
  static storageStats(
    sql: SqlStorage,
    schema: RunSchema,
  ): { databaseBytes: number; events: number; eventBytes: number } {
    if (!schema.has("events")) return { databaseBytes: sql.databaseSize, events: 0, eventBytes: 0 };
    const row = query<{ n: number; bytes: number | null }>(
      sql,
      "SELECT COUNT(*) AS n, SUM(LENGTH(data) + LENGTH(type) + COALESCE(LENGTH(step_id), 0) + 24) AS bytes FROM events",
    )[0];
    return { databaseBytes: sql.databaseSize, events: row?.n ?? 0, eventBytes: row?.bytes ?? 0 };
  }

  /** Calls `listener` after every append; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private project(event: RunEvent): void {
    const sql = this.storage.sql;
    if (isTerminalEvent(event.type)) {
      if (this.schema.has("timers")) run(sql, "DELETE FROM timers WHERE kind != 'index'");
      if (this.schema.has("hooks")) run(sql, "UPDATE hooks SET status = 'closed' WHERE status = 'open'");
      return;
    }
    if (event.type === "hook_created") {
      this.schema.ensure("hooks");
      run(
        sql,
        "INSERT OR REPLACE INTO hooks (step_id, token, status, created_at, timeout_at) VALUES (?, ?, 'open', ?, ?)",
        event.stepId,
        event.token,
        event.at,
        event.timeoutAt ?? null,
      );
    } else if (!this.schema.has("hooks")) {
      return;
    } else if (event.type === "hook_resumed") {
      run(sql, "UPDATE hooks SET status = 'resumed' WHERE step_id = ?", event.stepId);
    } else if (event.type === "hook_timed_out") {
      run(sql, "UPDATE hooks SET status = 'timed_out' WHERE step_id = ?", event.stepId);
    }
  }
}

function needsProjection(event: RunEvent): boolean {
  return isTerminalEvent(event.type) || event.type.startsWith("hook_");
}
