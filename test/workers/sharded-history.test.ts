// The run history spread over shards: listing across them, the legacy `global` object, the sweep's windows.
import { describe, expect, it } from "vitest";
import { historyShards } from "../../src/env.ts";
import type { RunsPage } from "../../src/history/index-object.ts";
import { LEGACY_HISTORY_SHARD } from "../../src/history/shards.ts";
import { sweepStalledRuns } from "../../src/history/sweep.ts";
import { STALL_SWEEP_INTERVAL_MS, STALL_SWEEP_SHARDS_PER_TICK } from "../../src/limits.ts";
import { request, startRun, testEnv, waitForStatus } from "./helpers.ts";

async function allPages(query: string, limit: number): Promise<RunsPage["runs"]> {
  const runs: RunsPage["runs"] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const body = (await (
      await request(`/runs?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)
    ).json()) as RunsPage;
    expect(body.runs.length).toBeLessThanOrEqual(limit);
    runs.push(...body.runs);
    if (!body.next) return runs;
    cursor = body.next;
  }
  throw new Error("the cursor never ended");
}

const legacy = () => testEnv.INDEX.get(testEnv.INDEX.idFromName(LEGACY_HISTORY_SHARD));

function newestFirst(runs: RunsPage["runs"]): boolean {
  return runs.every((run, i) => {
    const before = runs[i - 1];
    if (!before) return true;
    const [a, b] = [Date.parse(before.createdAt), Date.parse(run.createdAt)];
    return a > b || (a === b && before.runId > run.runId);
  });
}

describe("sharded run history", () => {
  it("spreads runs over shards and pages every run exactly once, newest first, with filters combined", async () => {
    const since = Date.now() - 1;
    const greetings: string[] = [];
    const signups: string[] = [];
    for (let i = 0; i < 60; i++) {
      if (i % 3 === 0) signups.push(await startRun("fixture-signup", { email: `shard${i}@example.com` }));
      else greetings.push(await startRun("fixture-greeting", { name: `Shard ${i}` }));
    }
    for (const runId of [...greetings, ...signups]) await waitForStatus(runId, ["success"]);
    const ours = new Set([...greetings, ...signups]);

    // No object holds them all: each run went to the shard its id hashes to.
    const perShard = await Promise.all(
      historyShards(testEnv).map(async ({ stub }) => (await stub.list({ since, limit: 1000 })).runs.length),
    );
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(60);
    expect(Math.max(...perShard)).toBeLessThan(30);
    expect(perShard.filter((n) => n > 0).length).toBeGreaterThan(4);

    const listed = (await allPages(`since=${since}`, 7)).filter((run) => ours.has(run.runId));
    expect(listed.map((run) => run.runId).sort()).toEqual([...ours].sort());
    expect(newestFirst(listed)).toBe(true);

    const filtered = await allPages(`since=${since}&workflow=fixture-greeting&status=success`, 7);
    expect(filtered.map((run) => run.runId).sort()).toEqual([...greetings].sort());
    expect(newestFirst(filtered)).toBe(true);

    const counted = (await (await request(`/runs?since=${since}&workflow=fixture-signup&limit=1`)).json()) as RunsPage;
    expect(counted.counts).toEqual({ success: signups.length });
  }, 60_000);

  it("lists runs recorded in the legacy global object, once even when their shard has a newer entry", async () => {
    const runId = await startRun("fixture-greeting", { name: "Legacy" });
    const done = await waitForStatus(runId, ["success"]);
    expect(done.status).toBe("success");
    const createdAt = Date.now() - 3_600_000;
    const onlyLegacy = `run_${"0".repeat(31)}1`;
    // What a release before sharding left: one entry per run in `global`, here an old stale copy
    // of a run that has since reported to its shard, and a run that only `global` knows.
    const stale = { workflow: "fixture-greeting", trigger: { type: "api" }, createdAt, updatedAt: createdAt };
    await legacy().upsert({ ...stale, runId: onlyLegacy, status: "success", finishedAt: createdAt }, 1);
    const shardEntry = (await (await request(`/runs?q=${runId}`)).json()) as RunsPage;
    const real = shardEntry.runs[0]!;
    await legacy().upsert(
      {
        ...stale,
        runId,
        status: "running",
        createdAt: Date.parse(real.createdAt),
        updatedAt: Date.parse(real.createdAt),
      },
      1,
    );

    const both = await allPages(`since=${createdAt - 1}&workflow=fixture-greeting`, 2);
    expect(both.filter((run) => run.runId === onlyLegacy)).toHaveLength(1);
    expect(both.filter((run) => run.runId === runId)).toEqual([expect.objectContaining({ status: "success" })]);
  });

  it("visits a bounded window of shards per sweep tick, every shard within a few ticks, and drains the legacy object", async () => {
    const now = Date.now();
    const orphan = `run_${"0".repeat(31)}2`;
    await legacy().upsert(
      {
        runId: orphan,
        workflow: "fixture-greeting",
        status: "success",
        trigger: { type: "api" },
        createdAt: now,
        updatedAt: now,
        finishedAt: now,
      },
      1,
    );
    const names = historyShards(testEnv).map((s) => s.name);
    const ticks = Math.ceil(names.length / STALL_SWEEP_SHARDS_PER_TICK);
    const visited: string[] = [];
    for (let t = 0; t < ticks; t++) {
      const report = await sweepStalledRuns(testEnv, now + t * STALL_SWEEP_INTERVAL_MS);
      expect(report.shards.length).toBeLessThanOrEqual(STALL_SWEEP_SHARDS_PER_TICK);
      visited.push(...report.shards);
    }
    expect(visited.sort()).toEqual([...names].sort());
    expect(await legacy().entries(10)).toEqual([]);
    const found = (await (await request(`/runs?q=${orphan}`)).json()) as RunsPage;
    expect(found.runs.map((run) => run.runId)).toEqual([orphan]);
  });
});
