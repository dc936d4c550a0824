// A batch gate's open batch and the batches closed but whose run is not started yet, in its SQLite.
import type { TriggerInfo } from "../../sdk/engine/events.ts";
import { FLOW_BATCH_MEMBERSHIP_MS } from "../limits.ts";
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

/** What one start brings to the batch gate. */
export interface BatchStart {
  runId: string;
  items: unknown[];
  trigger: TriggerInfo;
  maxSize: number;
  maxWaitMs: number;
  /** The run id of the batch named `batchId` (derived from it, so a repeated start finds the same). */
  batchRunIdOf: (batchId: string) => string;
}

/**
 * The most batches one start's items can fill: the first takes at least one item (the open batch's
 * room, or a new batch), each later one is new and takes up to `maxSize`. One item: one batch.
 */
export function batchesSpanned(itemCount: number, maxSize: number): number {
  return 1 + Math.ceil(Math.max(0, itemCount - 1) / Math.max(1, maxSize));
}

/** The batch a start's items open when none is open: the first named after the run, the next numbered. */
export function batchIdFor(runId: string, part: number): string {
  return part === 0 ? `batch:${runId}` : `batch:${runId}:${part}`;
}

/**
 * Adds one start's items to the open batch (opening one if none is open). A batch never holds more
 * than its `maxSize` items: it closes once full, and the items that did not fit open the next
 * (a start's items then span batches, in order). Idempotent by run id; the answer names the batch
 * that took the start's first item.
 */
export function addToBatch(sql: SqlStorage, start: BatchStart, now: number): { batchId: string; batchRunId: string } {
  const seen = query<{ batch_id: string }>(
    sql,
    "SELECT batch_id FROM flow_batch_items WHERE run_id = ?",
    start.runId,
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
  let first: { batchId: string; batchRunId: string } | undefined;
  let rest = start.items;
  for (let part = 0; part === 0 || rest.length > 0; part++) {
    const open = openBatch(sql, start, batchIdFor(start.runId, part), now);
    const held =
      query<{ n: number | null }>(
        sql,
        "SELECT SUM(size) AS n FROM flow_batch_items WHERE batch_id = ?",
        open.batch_id,
      )[0]?.n ?? 0;
    const chunk = rest.slice(0, Math.max(1, open.max_size - held));
    rest = rest.slice(chunk.length);
    // Membership is by run id; the second and later parts of one start are keyed `<runId>#<part>`.
    run(
      sql,
      "INSERT INTO flow_batch_items (batch_id, run_id, item, size) VALUES (?, ?, ?, ?)",
      open.batch_id,
      part === 0 ? start.runId : `${start.runId}#${part}`,
      JSON.stringify(chunk),
      chunk.length,
    );
    if (held + chunk.length >= open.max_size) close(sql, open, open.trigger);
    first ??= { batchId: open.batch_id, batchRunId: open.batch_run_id };
  }
  return first!;
}

/** The open batch, or a new one named `batchId` when none is open. */
function openBatch(sql: SqlStorage, start: BatchStart, batchId: string, now: number): OpenRow & { trigger: string } {
  const open = query<OpenRow & { trigger: string }>(
    sql,
    "SELECT batch_id, batch_run_id, due_at, max_size, trigger FROM flow_batch WHERE id = 1",
  )[0];
  if (open) return open;
  const created = {
    batch_id: batchId,
    batch_run_id: start.batchRunIdOf(batchId),
    due_at: now + start.maxWaitMs,
    max_size: start.maxSize,
    trigger: JSON.stringify(start.trigger),
  };
  run(
    sql,
    "INSERT OR IGNORE INTO flow_batch_runs (batch_id, batch_run_id) VALUES (?, ?)",
    created.batch_id,
    created.batch_run_id,
  );
  run(
    sql,
    "INSERT INTO flow_batch (id, batch_id, batch_run_id, trigger, opened_at, due_at, max_size) VALUES (1, ?, ?, ?, ?, ?, ?)",
    created.batch_id,
    created.batch_run_id,
    created.trigger,
    now,
    created.due_at,
    created.max_size,
  );
  return created;
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
 * The batch's run started. Its items' membership is kept for FLOW_BATCH_MEMBERSHIP_MS (a start
 * asking again must not open a new batch); their values are dropped now.
 */
export function forgetBatch(sql: SqlStorage, batchId: string, now: number): void {
  run(sql, "DELETE FROM flow_batch_closed WHERE batch_id = ?", batchId);
  run(sql, "UPDATE flow_batch_items SET item = '[]' WHERE batch_id = ?", batchId);
  run(sql, "INSERT OR IGNORE INTO flow_batch_done (batch_id, done_at) VALUES (?, ?)", batchId, now);
}

/** Drops the membership of batches whose run started FLOW_BATCH_MEMBERSHIP_MS before `now`. */
export function pruneBatches(sql: SqlStorage, now: number): void {
  const done = query<{ batch_id: string }>(
    sql,
    "SELECT batch_id FROM flow_batch_done WHERE done_at <= ?",
    now - FLOW_BATCH_MEMBERSHIP_MS,
  );
  for (const { batch_id } of done) {
    run(sql, "DELETE FROM flow_batch_items WHERE batch_id = ?", batch_id);
    run(sql, "DELETE FROM flow_batch_runs WHERE batch_id = ?", batch_id);
    run(sql, "DELETE FROM flow_batch_done WHERE batch_id = ?", batch_id);
  }
}

/** When the oldest kept membership is due to be dropped, if any is kept. */
export function batchPruneDueAt(sql: SqlStorage): number | undefined {
  const oldest = query<{ at: number | null }>(sql, "SELECT MIN(done_at) AS at FROM flow_batch_done")[0]?.at;
  return oldest == null ? undefined : oldest + FLOW_BATCH_MEMBERSHIP_MS;
}
