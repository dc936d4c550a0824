// The periodic sweep (run from the Worker's cron): asks stale live runs to check themselves, so a
// run whose alarm was lost is found and re-driven, moves legacy history entries to their shards
// and sheds entries of purged runs, a bounded batch each. Each tick visits a window of shards,
// never all of them (decision 0015).
import { readConfig } from "../config.ts";
import { type Env, historyIndex, historyShards } from "../env.ts";
import { currentDeployment } from "../run/run-version.ts";
import {
  BLOCKED_POKES_PER_SWEEP,
  HISTORY_DRAIN_BATCH,
  HISTORY_SHED_BATCH,
  STALL_CHECK_AFTER_MS,
  STALL_CHECKS_PER_SWEEP,
  STALL_SWEEP_INTERVAL_MS,
  STALL_SWEEP_SHARDS_PER_TICK,
} from "../limits.ts";
import { LEGACY_HISTORY_SHARD, sweepWindow } from "./shards.ts";

/** What one sweep did: the shards it visited, the runs it checked and recovered, entries moved and shed. */
export interface SweepReport {
  shards: string[];
  checked: number;
  recovered: string[];
  moved: number;
  /** Entries of purged runs dropped, at most HISTORY_SHED_BATCH per shard visited. */
  shed: number;
}

/** Sweeps the window of shards for the tick `now` falls in. */
export async function sweepStalledRuns(env: Env, now = Date.now()): Promise<SweepReport> {
  const tick = Math.floor(now / STALL_SWEEP_INTERVAL_MS);
  const window = sweepWindow(historyShards(env), tick, STALL_SWEEP_SHARDS_PER_TICK);
  const perShard = Math.ceil(STALL_CHECKS_PER_SWEEP / window.length);
  const report: SweepReport = { shards: window.map((s) => s.name), checked: 0, recovered: [], moved: 0, shed: 0 };
  const { retentionMs } = readConfig(env);
  for (const { name, stub } of window) {
    report.shed += await stub.shedPurged(now - retentionMs, HISTORY_SHED_BATCH);
    if (name === LEGACY_HISTORY_SHARD) report.moved += await drainLegacy(env, stub, now);
    const runIds = await stub.staleRuns(now - STALL_CHECK_AFTER_MS, perShard);
    report.checked += runIds.length;
    for (const runId of runIds) {
      const verdict = await env.RUNS.get(env.RUNS.idFromName(runId)).watchdog();
      if (verdict === "recovered") report.recovered.push(runId);
    }
  }
  return report;
}

/**
 * Moves a batch of the legacy object's entries into their shards (the version guard keeps a
 * newer entry the run already pushed there); entries of runs retention has deleted are dropped.
 */
async function drainLegacy(env: Env, legacy: ReturnType<typeof historyShards>[number]["stub"], now: number) {
  const entries = await legacy.entries(HISTORY_DRAIN_BATCH);
  const { retentionMs } = readConfig(env);
  for (const { summary, version } of entries) {
    const purged = summary.finishedAt !== undefined && summary.finishedAt + retentionMs <= now;
    if (!purged) await historyIndex(env, summary.runId).upsert(summary, version);
  }
  if (entries.length) await legacy.forget(entries.map((e) => e.summary.runId));
  return entries.length;
}

/**
 * Wakes blocked runs (decision 0018), from the per-minute cron: each tick visits a window of
 * shards and asks each for its blocked runs not checked lately, or all of them (up to the bound)
 * when the shard sees this deployment for the first time. A woken run probes its replay and
 * unblocks only if the code now replays it cleanly.
 */
export async function pokeBlockedRuns(env: Env, now = Date.now()): Promise<string[]> {
  const tick = Math.floor(now / 60_000);
  const window = sweepWindow(historyShards(env), tick, STALL_SWEEP_SHARDS_PER_TICK);
  const perShard = Math.ceil(BLOCKED_POKES_PER_SWEEP / window.length);
  const deployment = currentDeployment(env);
  const poked: string[] = [];
  for (const { stub } of window) {
    for (const runId of await stub.blockedRuns(now, perShard, deployment)) {
      const result = await env.RUNS.get(env.RUNS.idFromName(runId)).redriveBlocked();
      if (result.ok) poked.push(runId);
    }
  }
  return poked;
}
