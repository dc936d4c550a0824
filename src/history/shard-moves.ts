// A run whose shard moved: when CAIRN_HISTORY_SHARDS doubles, a live run's next summary goes to a
// new shard while its entry stays in the one it was written to before (or in the legacy object).
// The new shard takes those earlier copies over on the run's first summary, and a shard that knows
// of a larger count forwards a summary written under a smaller one (an isolate still running with
// the old count) to the run's shard under the larger count, so each run has one entry.
import type { Env } from "../env.ts";
import { HISTORY_LAYOUT_CLOCK_SKEW_MS } from "../limits.ts";
import { query, run } from "../log/sql.ts";
import type { HistoryEntry } from "./entry-rows.ts";
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
 * The shards that held `own`'s runs under each smaller count: `history-(i mod n)` for every
 * halving n of `shardCount` (the same for every run of `own`, since `i` is `hash mod shardCount`).
 * @example parentShards("history-19", 32) // ["history-3", "history-1", "history-0"]
 */
export function parentShards(own: string, shardCount: number): string[] {
  const index = Number(own.slice("history-".length));
  if (!own.startsWith("history-") || !Number.isInteger(index)) return [];
  const names = new Set<string>();
  for (let n = Math.floor(shardCount / 2); n >= 1; n = Math.floor(n / 2)) names.add(`history-${index % n}`);
  names.delete(own);
  return [...names];
}

/**
 * The shard counts one object has served or heard of, and since when (table `shard_layout`, read
 * once per instance). Runs created before a count's `since` may have entries in other objects;
 * runs created after it were only ever written here (so a new run's summaries cost no lookups).
 */
export class ShardLayouts {
  private sinceByCount?: Map<number, number>;

  constructor(private readonly sql: SqlStorage) {}

  private loaded(): Map<number, number> {
    if (this.sinceByCount) return this.sinceByCount;
    run(this.sql, "CREATE TABLE IF NOT EXISTS shard_layout (shard_count INTEGER PRIMARY KEY, since INTEGER NOT NULL)");
    const rows = query<{ shard_count: number; since: number }>(this.sql, "SELECT shard_count, since FROM shard_layout");
    this.sinceByCount = new Map(rows.map((r) => [r.shard_count, r.since]));
    return this.sinceByCount;
  }

  /** When this object first served or heard of `shardCount`; undefined if it never did. */
  since(shardCount: number): number | undefined {
    return this.loaded().get(shardCount);
  }

  /** The largest count this object knows is served (0 for none). */
  largest(): number {
    return Math.max(0, ...this.loaded().keys());
  }

  /**
   * Records that `shardCount` is served, once. Its `since` leaves a margin for the clocks of other
   * objects (a run's `createdAt` comes from its own object's clock): a run created in that margin
   * costs a lookup it may not need, never a duplicate entry.
   */
  record(shardCount: number, now = Date.now()): number {
    const known = this.since(shardCount);
    if (known !== undefined) return known;
    const since = now + HISTORY_LAYOUT_CLOCK_SKEW_MS;
    run(this.sql, "INSERT OR IGNORE INTO shard_layout (shard_count, since) VALUES (?, ?)", shardCount, since);
    this.loaded().set(shardCount, since);
    return since;
  }
}

const stub = (env: Pick<Env, "INDEX">, name: string) => env.INDEX.get(env.INDEX.idFromName(name));

/**
 * Tells `own`'s parent shards that `shardCount` is served: from then on they forward summaries of
 * `own`'s runs written under a smaller count here. Awaited before `own` records its `since`, so a
 * run created after it cannot have an entry in a parent that did not know.
 */
export async function announceShardCount(env: Pick<Env, "INDEX">, own: string, shardCount: number): Promise<void> {
  await Promise.all(parentShards(own, shardCount).map((name) => stub(env, name).knowShardCount(shardCount)));
}

/**
 * Takes `runId`'s entries out of the objects that may hold earlier copies and returns them, so
 * the new shard keeps the newest version whichever copy holds it. Each object also learns
 * `shardCount`, and forwards later summaries written under a smaller count.
 */
export async function takeEarlierCopies(
  env: Pick<Env, "INDEX">,
  runId: string,
  shardCount: number,
  own: string,
): Promise<HistoryEntry[]> {
  const copies = await Promise.all(
    earlierShards(runId, shardCount, own).map(
      (name) => stub(env, name).handOver(runId, shardCount) as Promise<HistoryEntry | undefined>,
    ),
  );
  return copies.filter((copy) => copy !== undefined);
}
