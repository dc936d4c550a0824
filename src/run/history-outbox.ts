// The run's outbox to the history index: every status change bumps the row's version, and the
// summary is pushed until the index has caught up to it.
import { type Env, historyIndex } from "../env.ts";
import { INDEX_RETRY_DELAY_MS } from "../limits.ts";
import type { RunStore } from "./run-store.ts";
import { summaryOf } from "./run-view.ts";

/** Sends the run's summary to the history index; a failure leaves a timer that retries it. */
export async function pushToHistory(store: RunStore, env: Env): Promise<void> {
  const row = store.row();
  if (!row) return;
  const version = store.rows.indexVersion();
  try {
    await historyIndex(env, row.id).upsert(summaryOf(row), version);
    store.rows.markIndexed(version);
  } catch {
    store.timers.set("index", "index", Date.now() + INDEX_RETRY_DELAY_MS);
  }
}
