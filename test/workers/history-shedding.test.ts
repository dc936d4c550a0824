// Entries of purged runs leave a history shard in bounded batches: a shard holding more of them
// than one batch sheds them over several sweep ticks, and listing shows every live run once
// throughout (entries of purged runs are hidden before they are shed).
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { historyShards } from "../../src/env.ts";
import { listRuns } from "../../src/history/list-runs.ts";
import { shardName } from "../../src/history/shards.ts";
import { sweepStalledRuns } from "../../src/history/sweep.ts";
import { readConfig } from "../../src/config.ts";
import { HISTORY_SHED_BATCH, STALL_SWEEP_INTERVAL_MS, STALL_SWEEP_SHARDS_PER_TICK } from "../../src/limits.ts";
import { PURGED_ENTRIES_SQL, STALE_ENTRIES_SQL } from "../../src/history/entry-rows.ts";
import { BLOCKED_ENTRIES_SQL } from "../../src/history/run-versions.ts";
import type { RunSummary } from "../../src/run/run-view.ts";
import { testEnv } from "./helpers.ts";

const SHARD = "history-3";
const workflow = "shedding";

/** `count` run ids that all hash to SHARD. */
function idsInShard(count: number): string[] {
  const ids: string[] = [];
  while (ids.length < count) {
    const id = `run_${crypto.randomUUID().replaceAll("-", "")}`;
    if (shardName(id, 16) === SHARD) ids.push(id);
  }
  return ids;
}

function summary(runId: string, createdAt: number, finishedAt?: number): RunSummary {
  return {
    runId,
    workflow,
    status: finishedAt === undefined ? "running" : "success",
    trigger: { type: "api" },
    createdAt,
    updatedAt: finishedAt ?? Date.now(),
    ...(finishedAt === undefined ? {} : { finishedAt }),
  };
}

/** A sweep time whose window of shards holds SHARD. */
function tickVisiting(name: string): number {
  const names = historyShards(testEnv).map((s) => s.name);
  const windows = Math.ceil(names.length / STALL_SWEEP_SHARDS_PER_TICK);
  const window = Math.floor(names.indexOf(name) / STALL_SWEEP_SHARDS_PER_TICK);
  const tick = Math.floor(Date.now() / STALL_SWEEP_INTERVAL_MS);
  return (tick - (tick % windows) + window) * STALL_SWEEP_INTERVAL_MS;
}

async function rowsInShard(): Promise<number> {
  const stub = testEnv.INDEX.get(testEnv.INDEX.idFromName(SHARD));
  return runInDurableObject(
    stub,
    (_i, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM runs WHERE workflow = ?", workflow).one().n,
  );
}

async function listedIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listRuns(testEnv, { workflow, limit: 4, ...(cursor ? { cursor } : {}) });
    ids.push(...page.runs.map((r) => r.runId));
    if (!page.next) return ids;
    cursor = page.next;
  }
  throw new Error("the cursor never ended");
}

describe("shedding entries of purged runs", () => {
  it("sheds more purged entries than one batch over several ticks, listing every live run once", async () => {
    const { retentionMs } = readConfig(testEnv);
    const now = Date.now();
    const purgedCount = HISTORY_SHED_BATCH + 50;
    const [purged, kept] = [idsInShard(purgedCount), idsInShard(8)] as [string[], string[]];
    const shard = testEnv.INDEX.get(testEnv.INDEX.idFromName(SHARD));
    // Runs retention has deleted (finished over the retention period ago, an hour to spare for the
    // sweep's tick time), beside live runs and runs finished recently.
    const expired = now - retentionMs - 3_600_000;
    await Promise.all(purged.map((id, i) => shard.upsert(summary(id, expired - 10_000 - i, expired - i), 1)));
    await Promise.all(
      kept.map((id, i) => shard.upsert(summary(id, now - 600_000 + i, i % 2 ? now - 60_000 : undefined), 1)),
    );
    expect(await rowsInShard()).toBe(purgedCount + kept.length);

    const expectListing = async () => expect((await listedIds()).sort()).toEqual([...kept].sort());
    await expectListing();
    expect((await listRuns(testEnv, { workflow, limit: 1 })).counts).toEqual({ running: 4, success: 4 });

    const at = tickVisiting(SHARD);
    expect((await sweepStalledRuns(testEnv, at)).shed).toBe(HISTORY_SHED_BATCH);
    expect(await rowsInShard()).toBe(purgedCount - HISTORY_SHED_BATCH + kept.length);
    await expectListing();

    expect((await sweepStalledRuns(testEnv, at)).shed).toBe(50);
    expect(await rowsInShard()).toBe(kept.length);
    await expectListing();
    expect((await sweepStalledRuns(testEnv, at)).shed).toBe(0);
  }, 60_000);

  it("reads each sweep batch through a partial index, never by scanning the shard's history", async () => {
    const stub = testEnv.INDEX.get(testEnv.INDEX.idFromName(SHARD));
    await stub.upsert(summary(idsInShard(1)[0]!, Date.now()), 1);
    const plans = await runInDurableObject(stub, (_i, state) =>
      [
        [PURGED_ENTRIES_SQL, "runs_by_finished"],
        [STALE_ENTRIES_SQL, "runs_live_by_checked"],
        [BLOCKED_ENTRIES_SQL, "runs_blocked_by_checked"],
      ].map(([sql, index]) => ({
        index,
        details: state.storage.sql
          .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, Date.now(), 10)
          .toArray()
          .map((row) => row.detail),
      })),
    );
    for (const { index, details } of plans) {
      expect(details.some((detail) => detail.includes(`USING INDEX ${index}`))).toBe(true);
      expect(details.some((detail) => /^SCAN runs$/.test(detail))).toBe(false);
      expect(details.some((detail) => detail.includes("TEMP B-TREE"))).toBe(false);
    }
  });
});
