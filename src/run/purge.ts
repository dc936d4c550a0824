// Deleting a finished run: every large value it ever wrote to R2, its history entry, then all of
// its storage. Each part can run again, so a purge cut off anywhere finishes on its next try.
import { type Env, historyIndex } from "../env.ts";
import { R2_DELETE_BATCH } from "../limits.ts";
import type { RunStore } from "./run-store.ts";

/**
 * Deletes every R2 object under the run's prefix, listed from R2 rather than read from the log:
 * an attempt that stored its output and then crashed or was canceled before `step_completed`
 * left a value that no event references, and it must go too.
 */
export async function deleteLargeValues(bucket: R2Bucket | undefined, prefix: string): Promise<number> {
  if (!bucket) return 0;
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: `${prefix}/`, limit: R2_DELETE_BATCH, ...(cursor ? { cursor } : {}) });
    const keys = page.objects.map((object) => object.key);
    if (keys.length) await bucket.delete(keys);
    deleted += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}

/**
 * Deletes the run: its large values in R2, its history entry, then all of its storage. The run
 * object calls it inside `blockConcurrencyWhile`, so no resume or cancel can write into a
 * half-deleted run. Each part can run again: a purge cut off anywhere finishes on the alarm's retry.
 */
export async function purgeRun(ctx: DurableObjectState, env: Env, store: RunStore, valuePrefix: string): Promise<void> {
  const row = store.row();
  if (!row) return;
  await deleteLargeValues(env.PAYLOADS, valuePrefix);
  await historyIndex(env, row.id).remove(row.id);
  await ctx.storage.deleteAlarm();
  await ctx.storage.deleteAll();
  store.reset();
}
