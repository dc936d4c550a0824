// A batch gate's open batch and the batches closed but whose run is not started yet, in its SQLite.
import type { TriggerInfo } from "../../sdk/engine/events.ts";
import { query, run } from "../log/sql.ts";

/** A closed batch waiting for its run to start (the gate's alarm retries until it has). */
export interface ClosedBatch {
  batchId: string;
  batchRunId: string;
  items: unknown[];
  trigger: TriggerInfo;
}

type OpenRow = { batch_id: string; batch_run_id: string; due_at: number; max_size: number };

/** Closes the open batch: its items move to the closed table in the same segment. */
function close(sql: SqlStorage, open: OpenRow, trigger: string): void {
  const items = query<{ item: string }>(
    sql,
    "SELECT item FROM flow_batch_items WHERE batch_id = ? ORDER BY seq",
    open.batch_id,
  ).flatMap((r) => JSON.parse(r.item) as unknown[]);
  run(
    sql,
    "INSERT OR IGNORE INTO flow_batch_closed (batch_id, batch_run_id, items, trigger) VALUES (?, ?, ?, ?)",
    open.batch_id,
    open.batch_run_id,
    JSON.stringify(items),
    trigger,
  );
  run(sql, "DELETE FROM flow_batch WHERE id = 1");
}

/**
 * Adds one start's item to the open batch (opening one, named after this run, if none is open);
 * a batch reaching `maxSize` closes at once. Idempotent by run id.
 */
export function addToBatch(
  sql: SqlStorage,
  request: {
    runId: string;
    items: unknown[];
    trigger: TriggerInfo;
    maxSize: number;
    maxWaitMs: number;
    batchRunId: string;
  },
  now: number,
): { batchId: string; batchRunId: string } {
  const seen = query<{ batch_id: string }>(
    sql,
    "SELECT batch_id FROM flow_batch_items WHERE run_id = ?",
    request.runId,
  )[0];
  if (seen) {
    // The batch's run is named after its id: a start asking again (its pass replayed) gets the same answer.
    const runId = query<{ batch_run_id: string }>(
      sql,
      "SELECT batch_run_id FROM flow_batch_runs WHERE batch_id = ?",
      seen.batch_id,
    )[0];
    return { batchId: seen.batch_id, batchRunId: runId?.batch_run_id ?? "" };
  }
  let open = query<OpenRow & { trigger: string }>(
    sql,
    "SELECT batch_id, batch_run_id, due_at, max_size, trigger FROM flow_batch WHERE id = 1",
  )[0];
  if (!open) {
    open = {
      batch_id: `batch:${request.runId}`,
      batch_run_id: request.batchRunId,
      due_at: now + request.maxWaitMs,
      max_size: request.maxSize,
      trigger: JSON.stringify(request.trigger),
    };
    run(
      sql,
      "INSERT OR IGNORE INTO flow_batch_runs (batch_id, batch_run_id) VALUES (?, ?)",
      open.batch_id,
      open.batch_run_id,
    );
    run(
      sql,
      "INSERT INTO flow_batch (id, batch_id, batch_run_id, trigger, opened_at, due_at, max_size) VALUES (1, ?, ?, ?, ?, ?, ?)",
      open.batch_id,
      open.batch_run_id,
      open.trigger,
      now,
      open.due_at,
      open.max_size,
    );
  }
  // One start's items stay together, in one row: a batch closes once it holds maxSize items or more.
  run(
    sql,
    "INSERT INTO flow_batch_items (batch_id, run_id, item, size) VALUES (?, ?, ?, ?)",
    open.batch_id,
    request.runId,
    JSON.stringify(request.items),
    request.items.length,
  );
  const size =
    query<{ n: number }>(sql, "SELECT SUM(size) AS n FROM flow_batch_items WHERE batch_id = ?", open.batch_id)[0]?.n ??
    0;
  if (size >= open.max_size) close(sql, open, open.trigger);
  return { batchId: open.batch_id, batchRunId: open.batch_run_id };
}

/** Closes the open batch if its maxWait has passed. */
export function closeDueBatch(sql: SqlStorage, now: number): void {
  const open = query<OpenRow & { trigger: string }>(
    sql,
    "SELECT batch_id, batch_run_id, due_at, max_size, trigger FROM flow_batch WHERE id = 1 AND due_at <= ?",
    now,
  )[0];
  if (open) close(sql, open, open.trigger);
}

/** When the open batch is due, if one is open. */
export function openBatchDueAt(sql: SqlStorage): number | undefined {
  return query<{ due_at: number }>(sql, "SELECT due_at FROM flow_batch WHERE id = 1")[0]?.due_at;
}

export function closedBatches(sql: SqlStorage): ClosedBatch[] {
  return query<{ batch_id: string; batch_run_id: string; items: string; trigger: string }>(
    sql,
    "SELECT batch_id, batch_run_id, items, trigger FROM flow_batch_closed",
  ).map((r) => ({
    batchId: r.batch_id,
    batchRunId: r.batch_run_id,
    items: JSON.parse(r.items) as unknown[],
    trigger: JSON.parse(r.trigger) as TriggerInfo,
  }));
}

/**
 * The batch's run started. Its items' membership is kept (a start that asks again must not open a
 * new batch); their values are dropped.
 */
export function forgetBatch(sql: SqlStorage, batchId: string): void {
  run(sql, "DELETE FROM flow_batch_closed WHERE batch_id = ?", batchId);
  run(sql, "UPDATE flow_batch_items SET item = '[]' WHERE batch_id = ?", batchId);
}
