import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("benchmarks", () => {
  it("run in their quick size and report every metric with numbers", () => {
    const out = join(mkdtempSync(join(tmpdir(), "cairn-bench-")), "results.json");
    execFileSync("npx", ["tsx", "bench/run.ts", "--quick", "--out", out], { stdio: "pipe", timeout: 240_000 });
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
    for (const engine of ["cairn", "cloudflare"]) {
      expect(Number.isFinite(results.comparison.slope[engine].msPerStep)).toBe(true);
      expect(results.comparison.throughput[engine].stepsPerSecond).toBeGreaterThan(0);
      expect(results.comparison.resumeLatency[engine].n).toBeGreaterThan(0);
    }
  }, 300_000);
});
