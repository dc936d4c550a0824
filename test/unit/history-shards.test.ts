import { describe, expect, it } from "vitest";
import { decodeCursor } from "../../src/history/cursor.ts";
import type { ListedRun, RunsPage } from "../../src/history/index-object.ts";
import { mergePages } from "../../src/history/list-runs.ts";
import { allShardNames, shardName, sweepWindow } from "../../src/history/shards.ts";

const run = (runId: string, createdAt: number, status = "success", updatedAt = createdAt): ListedRun => ({
  runId,
  workflow: "w",
  status,
  trigger: { type: "api" },
  createdAt: new Date(createdAt).toISOString(),
  updatedAt: new Date(updatedAt).toISOString(),
});
const page = (runs: ListedRun[], next?: string): RunsPage => ({
  runs,
  counts: { success: runs.length },
  ...(next ? { next } : {}),
});

describe("history shards", () => {
  it("keeps a run in a shard that every larger power-of-two count still reads", () => {
    for (let i = 0; i < 200; i++) {
      const runId = `run_${i.toString(16).padStart(32, "0")}`;
      expect(shardName(runId, 16)).toBe(shardName(runId, 16));
      const at16 = Number(shardName(runId, 16).slice("history-".length));
      expect(allShardNames(64)).toContain(`history-${at16}`);
      expect(Number(shardName(runId, 64).slice("history-".length)) % 16).toBe(at16);
    }
  });

  it("merges shard pages newest first, ties by run id, and keeps the latest copy of a run found twice", () => {
    const merged = mergePages(
      [page([run("run_b", 30), run("run_a", 10)]), page([run("run_c", 30, "running"), run("run_a", 10, "failed", 20)])],
      10,
    );
    expect(merged.runs.map((r) => [r.runId, r.status])).toEqual([
      ["run_c", "running"],
      ["run_b", "success"],
      ["run_a", "failed"],
    ]);
    expect(merged.counts).toEqual({ success: 4 });
    expect(merged.next).toBeUndefined();
  });

  it("gives a cursor at the last run kept when a page is full or a shard has more", () => {
    const full = mergePages([page([run("run_b", 30)]), page([run("run_a", 20)])], 1);
    expect(full.runs.map((r) => r.runId)).toEqual(["run_b"]);
    expect(decodeCursor(full.next)).toEqual({ createdAt: 30, runId: "run_b" });
    const shardHasMore = mergePages([page([run("run_b", 30)], "x"), page([])], 5);
    expect(decodeCursor(shardHasMore.next)).toEqual({ createdAt: 30, runId: "run_b" });
  });

  it("sweeps a moving window of shards that covers all of them", () => {
    const names = allShardNames(16);
    const windows = [0, 1, 2].map((tick) => sweepWindow(names, tick, 8));
    expect(windows.map((w) => w.length)).toEqual([8, 8, 1]);
    expect(windows.flat().sort()).toEqual([...names].sort());
    expect(sweepWindow(names, 3, 8)).toEqual(windows[0]);
  });
});
