// Where a run's history entry lives: one of N IndexObjects chosen by a hash of the run id, plus
// the `global` object every run used before the history was sharded (decision 0015).
import { DEFAULT_HISTORY_SHARDS } from "../limits.ts";

/** The single history object of versions before decision 0015: read, drained, never written. */
export const LEGACY_HISTORY_SHARD = "global";

/** FNV-1a (32 bits) of the run id: stable across releases and isolates, cheap, evenly spread. */
export function runIdHash(runId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    hash ^= runId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The object name of a run's shard for `shardCount` shards. Counts are powers of two that only
 * grow, so every shard a run was ever written to (`hash mod` an earlier count) is one of the
 * first `shardCount` objects too, and reading all of them finds it.
 * @example shardName("run_0123…", 16) // "history-7"
 */
export function shardName(runId: string, shardCount: number = DEFAULT_HISTORY_SHARDS): string {
  return `history-${runIdHash(runId) % shardCount}`;
}

/** Every object a listing reads: the legacy one first, then the shards. */
export function allShardNames(shardCount: number = DEFAULT_HISTORY_SHARDS): string[] {
  return [LEGACY_HISTORY_SHARD, ...Array.from({ length: shardCount }, (_, i) => `history-${i}`)];
}

/**
 * The shards one sweep tick visits: a window of `perTick` names that moves by one window each
 * tick, so every shard is visited once every ceil(names / perTick) ticks and no tick reads all.
 */
export function sweepWindow<T>(names: readonly T[], tick: number, perTick: number): T[] {
  const windows = Math.max(1, Math.ceil(names.length / perTick));
  const start = (((tick % windows) + windows) % windows) * perTick;
  return names.slice(start, start + perTick);
}
