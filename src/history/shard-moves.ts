// A run whose shard moved: when CAIRN_HISTORY_SHARDS doubles, a live run's next summary goes to a
// new shard while its entry stays in the one it was written to before (or in the legacy object).
// The new shard removes those earlier copies on the run's first summary, so no run is counted twice.
import type { Env } from "../env.ts";
import { query, run } from "../log/sql.ts";
import { LEGACY_HISTORY_SHARD, shardName } from "./shards.ts";

/**
 * The objects that may hold an earlier copy of `runId`'s entry, given that `own` is its shard for
 * `shardCount`: its shards under every smaller count (counts only double, so they are `hash mod`
 * each halving), then the legacy object. Empty when `own` is not one of the run's shards at all.
 * @example earlierShards(runId, 32, "history-19") // ["history-3", "history-1", "history-0", "global"] (each once)
 */
export function earlierShards(runId: string, shardCount: number, own: string): string[] {
  const chain: string[] = [];
  for (let n = shardCount; n >= 1; n = Math.floor(n / 2)) chain.push(shardName(runId, n));
  const at = chain.indexOf(own);
  if (at < 0) return [];
  return [...new Set([...chain.slice(at + 1), LEGACY_HISTORY_SHARD])].filter((name) => name !== own);
}

/**
 * When this object first served `shardCount` shards (epoch ms), recorded once. Runs created
 * before it may have entries in other objects; runs created after it were only ever written here
 * (so a new run's summaries cost no extra requests).
 */
export function layoutSince(sql: SqlStorage, shardCount: number, now = Date.now()): number {
  run(sql, "CREATE TABLE IF NOT EXISTS shard_layout (shard_count INTEGER PRIMARY KEY, since INTEGER NOT NULL)");
  run(sql, "INSERT OR IGNORE INTO shard_layout (shard_count, since) VALUES (?, ?)", shardCount, now);
  return query<{ since: number }>(sql, "SELECT since FROM shard_layout WHERE shard_count = ?", shardCount)[0]!.since;
}

/** Deletes `runId`'s entries from the objects that may hold earlier copies (each delete is idempotent). */
export async function forgetEarlierCopies(
  env: Pick<Env, "INDEX">,
  runId: string,
  shardCount: number,
  own: string,
): Promise<void> {
  await Promise.all(
    earlierShards(runId, shardCount, own).map((name) => env.INDEX.get(env.INDEX.idFromName(name)).forget([runId])),
  );
}
