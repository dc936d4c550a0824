// The run row: the status/timestamps projection and the index outbox versions, in SQL.
import { query, run } from "../log/sql.ts";
import type { RunRow, RunStatus } from "./run-view.ts";
import type { StartRequest } from "./run-object.ts";

export class RunRows {
  constructor(private readonly sql: SqlStorage) {}

  get(): RunRow | undefined {
    return query<RunRow & Record<string, string | number | null>>(this.sql, "SELECT * FROM run")[0];
  }

  inputHash(): string | undefined {
    return query<{ input_hash: string }>(this.sql, "SELECT input_hash FROM run")[0]?.input_hash;
  }

  insert(request: StartRequest, now: number): void {
    run(
      this.sql,
      `INSERT INTO run (id, workflow, status, trigger, origin, idempotency_key, input_hash, created_at, updated_at, index_version)
       VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, 1)`,
      request.runId,
      request.workflow,
      JSON.stringify(request.trigger),
      request.origin ?? null,
      request.idempotencyKey ?? null,
      request.inputHash,
      now,
      now,
    );
  }

  /** Changes status and wake time; each change bumps the version the index must catch up to. */
  setStatus(status: RunStatus, wakeAt: number | null, startedAt?: number): void {
    const row = this.get();
    if (!row || (row.status === status && row.wake_at === wakeAt && startedAt === undefined)) return;
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
    return query<{ v: number }>(this.sql, "SELECT index_version AS v FROM run")[0]?.v ?? 0;
  }

  indexDirty(): boolean {
    return (
      query<{ dirty: number }>(this.sql, "SELECT indexed_version < index_version AS dirty FROM run")[0]?.dirty === 1
    );
  }

  markIndexed(version: number): void {
    run(this.sql, "UPDATE run SET indexed_version = MAX(indexed_version, ?)", version);
  }
}
