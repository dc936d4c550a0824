import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("benchmarks", () => {
  it("run in their quick size and report every metric with numbers", () => {
    const out = join(mkdtempSync(join(tmpdir(), "cairn-bench-")), "results.json");
    execFileSync("npx", ["tsx", "--conditions=cairn-source", "bench/run.ts", "--quick", "--out", out], {
      stdio: "pipe",
      // A smoke test of the scripts, not a timing: on a 2-core CI machine beside other e2e files the
      // quick size takes 190–240 s.
      timeout: 420_000,
    });
    const results = JSON.parse(readFileSync(out, "utf8"));
    expect(results.driver.liveStepUs).toBeGreaterThan(0);
    expect(results.driver.replay.length).toBeGreaterThan(0);
    expect(Number.isFinite(results.engine.stepSlope.msPerStep)).toBe(true);
    expect(results.engine.largest.ms).toBeGreaterThan(0);
    expect(results.engine.greeting.runsPerSecond).toBeGreaterThan(0);
    expect(results.engine.hookResume.latencyMs.n).toBeGreaterThan(0);
    expect(results.engine.sleepLateness.latenessMs.n).toBeGreaterThan(0);
    expect(results.engine.coldReplay.length).toBeGreaterThan(0);
    expect(results.engine.storage.length).toBeGreaterThan(0);
    const c = results.comparison;
    // A latency summary with samples and finite p50/p99/max.
    const measured = (s: { n: number; p50: number; p99: number; max: number }) => {
      expect(s.n).toBeGreaterThan(0);
      for (const x of [s.p50, s.p99, s.max]) expect(Number.isFinite(x)).toBe(true);
    };
    expect(c.closedLoop.length).toBeGreaterThan(0);
    expect(c.timers.length).toBeGreaterThan(0);
    expect(c.hooks.length).toBeGreaterThan(0);
    for (const engine of ["cairn", "cloudflare"]) {
      expect(Number.isFinite(c.slope[engine].msPerStep)).toBe(true);
      expect(c.throughput[engine].stepsPerSecond).toBeGreaterThan(0);
      measured(c.resumeLatency[engine]);
      measured(c.runStart[engine].firstStepMs);
      measured(c.runStart[engine].finishedMs);
      for (const cell of c.closedLoop) {
        expect(cell.results[engine].runsPerSecond).toBeGreaterThan(0);
        expect(cell.results[engine].stepsPerSecond).toBeGreaterThan(0);
        measured(cell.results[engine].latencyMs);
      }
      expect(c.burst.results[engine].allFinishedMs).toBeGreaterThan(0);
      expect(c.burst.results[engine].maxMinRatio).toBeGreaterThanOrEqual(1);
      measured(c.burst.results[engine].latencyMs);
      for (const level of c.timers) {
        measured(level.results[engine].latenessMs);
        expect(level.results[engine].early).toBe(0);
      }
      for (const level of c.hooks) measured(level.results[engine].latencyMs);
    }
    // Peer measurements (bench/peer-bench.ts): replay, fan-out, storage, memory, largest run.
    const p = results.peer;
    const finite = (x: number) => expect(Number.isFinite(x)).toBe(true);
    for (const engine of ["cairn", "cloudflare"]) {
      expect(p.replay[engine].length).toBeGreaterThan(0);
      for (const point of p.replay[engine]) expect(point.usPerStep).toBeGreaterThan(0);
      expect(p.memory[engine].length).toBeGreaterThan(0);
      for (const point of p.memory[engine]) for (const x of [point.parkedMiB, point.perRunMiB]) finite(x);
    }
    expect(p.fanOut.length).toBeGreaterThan(0);
    for (const point of p.fanOut) for (const x of [point.cairnMs, point.cloudflareMs]) expect(x).toBeGreaterThan(0);
    expect(p.storage.length).toBeGreaterThan(0);
    for (const { cairn, cloudflare } of p.storage)
      for (const x of [cairn.databasePerStep, cairn.storageStatsPerStep, cloudflare.databasePerStep]) finite(x);
    for (const profile of [results.engine.largest.profile, p.replay.cloudflareLargest.profile])
      for (const x of [profile.startMs, profile.middleMs, profile.endMs]) finite(x);
  }, 480_000);
});
