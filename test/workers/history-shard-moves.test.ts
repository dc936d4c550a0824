// The shard-move race: after CAIRN_HISTORY_SHARDS doubles, an isolate still running with the old
// count writes a run's summary to its old shard while a new isolate writes to its new one. In any
// order, the run is listed once, with its newest version's status, and counted once.
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env.ts";
import { listRuns } from "../../src/history/list-runs.ts";
import { shardName } from "../../src/history/shards.ts";
import type { RunSummary } from "../../src/run/run-view.ts";
import { testEnv } from "./helpers.ts";

const shard = (name: string) => testEnv.INDEX.get(testEnv.INDEX.idFromName(name));
const doubled = { ...testEnv, CAIRN_HISTORY_SHARDS: "32" } as Env;

/** A run id whose shard under 32 is not its shard under 16 (half of all ids). */
function movingRunId(): string {
  for (;;) {
    const id = `run_${crypto.randomUUID().replaceAll("-", "")}`;
    if (shardName(id, 32) !== shardName(id, 16)) return id;
  }
}

type Write = { version: number; status: RunSummary["status"]; shardCount: 16 | 32 };

function summary(runId: string, workflow: string, createdAt: number, { version, status }: Write): RunSummary {
  const finished = status === "success";
  return {
    runId,
    workflow,
    status,
    trigger: { type: "api" },
    createdAt,
    // Later versions carry later updates, as a run's own writes do.
    updatedAt: createdAt + version * 1_000,
    ...(finished ? { finishedAt: createdAt + version * 1_000 } : {}),
  };
}

/** Writes as the isolate with that shard count would: to the run's shard under its count. */
async function write(runId: string, workflow: string, createdAt: number, w: Write): Promise<void> {
  await shard(shardName(runId, w.shardCount)).upsert(summary(runId, workflow, createdAt, w), w.version, w.shardCount);
}

async function expectListedOnce(workflow: string, runId: string, status: string): Promise<void> {
  const page = await listRuns(doubled, { workflow, limit: 10 });
  expect(page.runs.map((r) => [r.runId, r.status])).toEqual([[runId, status]]);
  expect(page.counts).toEqual({ [status]: 1 });
  // A stale copy would match a filter on its old status.
  for (const stale of ["queued", "running"].filter((s) => s !== status))
    expect((await listRuns(doubled, { workflow, status: stale, limit: 10 })).runs).toEqual([]);
  // Listing under the old count finds it in one shard at most: never a second, stale copy.
  const old = await listRuns(testEnv, { workflow, limit: 10 });
  expect(old.runs.filter((r) => r.status !== status)).toEqual([]);
}

const orders: { name: string; writes: Write[]; newest: string }[] = [
  {
    name: "the old isolate's stale write arrives after the new isolate's newer one",
    writes: [
      { version: 3, status: "success", shardCount: 32 },
      { version: 2, status: "running", shardCount: 16 },
    ],
    newest: "success",
  },
  {
    name: "the old isolate writes a newer version after the new isolate moved the run",
    writes: [
      { version: 2, status: "running", shardCount: 32 },
      { version: 3, status: "success", shardCount: 16 },
    ],
    newest: "success",
  },
  {
    name: "the old isolate writes an older version first",
    writes: [
      { version: 2, status: "running", shardCount: 16 },
      { version: 3, status: "success", shardCount: 32 },
    ],
    newest: "success",
  },
  {
    name: "the old isolate's newer version arrives before the new isolate's older one",
    writes: [
      { version: 3, status: "success", shardCount: 16 },
      { version: 2, status: "running", shardCount: 32 },
    ],
    newest: "success",
  },
];

describe("shard moves under old isolates", () => {
  for (const [i, order] of orders.entries())
    it(`lists a moved run once with its newest status when ${order.name}`, async () => {
      const workflow = `shard-move-race-${i}`;
      const runId = movingRunId();
      const createdAt = Date.now() - 3_600_000;
      // Started before the count doubled: its first summary is in its shard under 16.
      await write(runId, workflow, createdAt, { version: 1, status: "queued", shardCount: 16 });
      for (const w of order.writes) await write(runId, workflow, createdAt, w);
      await expectListedOnce(workflow, runId, order.newest);
    });

  it("lists a run once when an old isolate starts it after its new shard first served the larger count", async () => {
    const workflow = "shard-move-race-late-start";
    const runId = movingRunId();
    const home = shardName(runId, 32);
    // Another run makes the run's new shard serve 32 shards (and tell the shards below it).
    let other = movingRunId();
    while (shardName(other, 32) !== home) other = movingRunId();
    await write(other, "shard-move-race-other", Date.now(), { version: 1, status: "queued", shardCount: 32 });

    // Created later, started by an isolate still on 16 shards, then finished under 32.
    const createdAt = Date.now() + 60_000;
    await write(runId, workflow, createdAt, { version: 1, status: "queued", shardCount: 16 });
    await write(runId, workflow, createdAt, { version: 2, status: "success", shardCount: 32 });
    await expectListedOnce(workflow, runId, "success");
  });

  it("removes a purged run's entry that stayed in its shard under the old count", async () => {
    const workflow = "shard-move-purge";
    const runId = movingRunId();
    const createdAt = Date.now() - 3_600_000;
    // Finished before the count doubled: its entry is in its shard under 16 only.
    await write(runId, workflow, createdAt, { version: 2, status: "success", shardCount: 16 });
    // Its purge runs under 32 and goes to its new shard, which serves 32 since after it was created.
    await shard(shardName(runId, 32)).knowShardCount(32);
    await shard(shardName(runId, 32)).remove(runId, createdAt, 32);
    expect((await listRuns(doubled, { workflow, limit: 10 })).runs).toEqual([]);
  });

  it("removes a purged run's entry from its new shard when an old isolate purges it", async () => {
    const workflow = "shard-move-purge-old";
    const runId = movingRunId();
    const createdAt = Date.now() - 3_600_000;
    await write(runId, workflow, createdAt, { version: 1, status: "queued", shardCount: 16 });
    await write(runId, workflow, createdAt, { version: 2, status: "success", shardCount: 32 });
    await shard(shardName(runId, 16)).remove(runId, createdAt, 16);
    expect((await listRuns(doubled, { workflow, limit: 10 })).runs).toEqual([]);
  });
});
