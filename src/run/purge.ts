// Deleting a finished run: its history entry, every large value it ever wrote to R2 (in bounded
// batches per alarm), then all of its storage. Each part can run again, so a purge cut off
// anywhere finishes on its next try.
import { type Env, historyIndex } from "../env.ts";
import { readConfig } from "../config.ts";
import { R2_DELETE_BATCH, R2_DELETE_BATCHES_PER_PURGE_ALARM } from "../limits.ts";
import type { RunStore } from "./run-store.ts";

/** How far one call to deleteLargeValues got. */
export interface LargeValuesDeleted {
  deleted: number;
  /** Whether no value is left under the prefix. */
  done: boolean;
}

/**
 * Deletes the R2 objects under the run's prefix, at most `maxBatches` pages of R2_DELETE_BATCH,
 * listed from R2 rather than read from the log: an attempt that stored its output and then
 * crashed or was canceled before `step_completed` left a value that no event references, and it
 * must go too. Each page is listed afresh from the start, so a call cut off between batches
 * loses nothing: the next call lists what is left.
 */
export async function deleteLargeValues(
  bucket: R2Bucket | undefined,
  prefix: string,
  maxBatches = Number.POSITIVE_INFINITY,
): Promise<LargeValuesDeleted> {
  if (!bucket) return { deleted: 0, done: true };
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const page = await bucket.list({ prefix: `${prefix}/`, limit: R2_DELETE_BATCH });
    const keys = page.objects.map((object) => object.key);
    if (keys.length) await bucket.delete(keys);
    deleted += keys.length;
    if (!page.truncated) return { deleted, done: true };
  }
  return { deleted, done: false };
}

/**
 * Deletes the run: its history entry first (it leaves listings at once), then its large values in
 * R2, R2_DELETE_BATCHES_PER_PURGE_ALARM batches per alarm, re-arming the alarm while any are left
 * (the run's retention timer is derived from its row, so the next alarm purges again), then all
 * of its storage. The run object calls it inside `blockConcurrencyWhile`, so no resume or cancel
 * writes into a half-deleted run, and the bound keeps that block short whatever the run stored.
 * Each part can run again: a purge cut off anywhere finishes on the alarm's retry.
 */
export async function purgeRun(ctx: DurableObjectState, env: Env, store: RunStore, valuePrefix: string): Promise<void> {
  const row = store.row();
  if (!row) return;
  const { historyShards } = readConfig(env);
  await historyIndex(env, row.id).remove(row.id, row.created_at, historyShards);
  const values = await deleteLargeValues(env.PAYLOADS, valuePrefix, R2_DELETE_BATCHES_PER_PURGE_ALARM);
  if (!values.done) {
    await ctx.storage.setAlarm(Date.now());
    return;
  }
  await ctx.storage.deleteAlarm();
  await ctx.storage.deleteAll();
  store.reset();
}
