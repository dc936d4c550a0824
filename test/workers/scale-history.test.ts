// The sharded history at scale: 300 runs over 16 shards paged 7 at a time (many sharing one
// creation time), and exact counts after the shard count doubles and a live run moves shard.
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env.ts";
import type { ListedRun, RunsPage } from "../../src/history/index-object.ts";
import { listRuns } from "../../src/history/list-runs.ts";
import { earlierShards } from "../../src/history/shard-moves.ts";
import { LEGACY_HISTORY_SHARD, shardName } from "../../src/history/shards.ts";
import type { RunSummary } from "../../src/run/run-view.ts";
import { testEnv } from "./helpers.ts";

const shard = (name: string) => testEnv.INDEX.get(testEnv.INDEX.idFromName(name));

function runId(i: number): string {
  return `run_${i.toString(16).padStart(8, "0")}${crypto.randomUUID().replaceAll("-", "").slice(8)}`;
}

function summary(id: string, workflow: string, createdAt: number, status = "success"): RunSummary {
  return {
    runId: id,
    workflow,
    status: status as RunSummary["status"],
    trigger: { type: "api" },
    createdAt,
    updatedAt: createdAt,
    ...(status === "success" ? { finishedAt: createdAt } : {}),
  };
}

async function pageAll(env: Env, workflow: string, limit: number): Promise<ListedRun[]> {
  const runs: ListedRun[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const page: RunsPage = await listRuns(env, { workflow, limit, ...(cursor ? { cursor } : {}) });
    expect(page.runs.length).toBeLessThanOrEqual(limit);
    runs.push(...page.runs);
    if (!page.next) return runs;
    cursor = page.next;
  }
  throw new Error("the cursor never ended");
}

describe("sharded history at scale", () => {
  it("pages 300 runs over 16 shards with limit 7: every run once, newest first, ties broken by run id", async () => {
    const workflow = "scale-listing";
    const base = Date.now() - 60_000;
    // 300 runs over 40 distinct creation times: pages end in the middle of a tie, in some shard.
    const written = Array.from({ length: 300 }, (_, i) => summary(runId(i), workflow, base + (i % 40)));
    await Promise.all(written.map((s) => shard(shardName(s.runId, 16)).upsert(s, 1)));
    const spread = new Set(written.map((s) => shardName(s.runId, 16)));
    expect(spread.size).toBe(16);

    const listed = await pageAll(testEnv, workflow, 7);
    expect(listed.map((r) => r.runId).sort()).toEqual(written.map((s) => s.runId).sort());
    const expected = [...written]
      .sort((a, b) => b.createdAt - a.createdAt || (a.runId < b.runId ? 1 : -1))
      .map((s) => s.runId);
    expect(listed.map((r) => r.runId)).toEqual(expected);
    const counted = await listRuns(testEnv, { workflow, limit: 1 });
    expect(counted.counts).toEqual({ success: 300 });
  });

  it("counts a live run once after the shard count doubles and the run writes to its new shard", async () => {
    const workflow = "scale-doubling";
    // A run whose shard under 32 differs from its shard under 16 (and one whose shard stays).
    let moving = runId(1);
    while (shardName(moving, 32) === shardName(moving, 16)) moving = runId(1);
    let staying = runId(2);
    while (shardName(staying, 32) !== shardName(staying, 16)) staying = runId(2);
    const createdAt = Date.now() - 3_600_000;

    // Written under 16 shards: started, then running.
    for (const id of [moving, staying])
      await shard(shardName(id, 16)).upsert(summary(id, workflow, createdAt, "running"), 2, 16);
    // The count doubles; the runs finish and write to their shard under 32.
    const doubled = { ...testEnv, CAIRN_HISTORY_SHARDS: "32" } as Env;
    for (const id of [moving, staying])
      await shard(shardName(id, 32)).upsert({ ...summary(id, workflow, createdAt), updatedAt: Date.now() }, 3, 32);

    const page = await listRuns(doubled, { workflow, limit: 10 });
    expect(page.counts).toEqual({ success: 2 });
    expect(page.runs.map((r) => [r.runId, r.status]).sort()).toEqual(
      [
        [moving, "success"],
        [staying, "success"],
      ].sort(),
    );
    // The old shard no longer holds the moved run (it may hold the staying one: same hash under 16).
    const oldShard = (await shard(shardName(moving, 16)).list({ workflow, limit: 10 })).runs;
    expect(oldShard.map((r) => r.runId)).not.toContain(moving);
  });

  it("moves a run out of the legacy object on its first summary in its shard", async () => {
    const workflow = "scale-legacy-move";
    const id = runId(3);
    const createdAt = Date.now() - 3_600_000;
    await shard(LEGACY_HISTORY_SHARD).upsert(summary(id, workflow, createdAt, "running"), 2);
    await shard(shardName(id, 16)).upsert({ ...summary(id, workflow, createdAt), updatedAt: Date.now() }, 3);
    expect((await listRuns(testEnv, { workflow, limit: 10 })).counts).toEqual({ success: 1 });
    expect((await shard(LEGACY_HISTORY_SHARD).list({ workflow, limit: 10 })).runs).toEqual([]);
  });

  it("looks for a moved run's earlier copies in its shard under each smaller count, then the legacy object", () => {
    expect(earlierShards("run_x", 16, "history-99")).toEqual([]);
    // A run whose shard under 32 is not its shard under 16 (half of all ids): the case with an earlier copy.
    let id = runId(4);
    while (shardName(id, 32) === shardName(id, 16)) id = runId(4);
    const chain = earlierShards(id, 32, shardName(id, 32));
    expect(chain.at(-1)).toBe(LEGACY_HISTORY_SHARD);
    expect(chain).not.toContain(shardName(id, 32));
    expect(chain).toContain(shardName(id, 16));
  });
});
