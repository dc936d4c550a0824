// Engine time without the runtime: the pure driver on a MemoryEventLog in Node, where clocks
// advance during CPU work (inside workerd they do not). Measures per-step cost and replay cost.
import { performance } from "node:perf_hooks";
import { drive } from "../sdk/engine/driver.ts";
import { MemoryEventLog } from "../sdk/engine/event-log.ts";
import { round } from "./lib/stats.ts";
import { benchSteps } from "./workflows.ts";

function startedLog(steps: number): MemoryEventLog {
  const log = new MemoryEventLog();
  log.append({
    type: "run_started",
    workflow: "bench-steps",
    input: { steps },
    trigger: { type: "api" },
    triggeredAt: Date.now(),
  });
  return log;
}

async function timeLiveRun(steps: number): Promise<{ ms: number; log: MemoryEventLog }> {
  const log = startedLog(steps);
  const t0 = performance.now();
  const outcome = await drive(benchSteps, log, { runId: "bench", stepBudget: Number.POSITIVE_INFINITY });
  const ms = performance.now() - t0;
  if (outcome.status !== "completed") throw new Error(`bench run ended ${outcome.status}`);
  return { ms, log };
}

/** Replays a fully recorded log (its run_completed removed), so every step comes from the log. */
async function timeReplay(log: MemoryEventLog): Promise<number> {
  const events = log.events.filter((e) => e.type !== "run_completed");
  const replayLog = new MemoryEventLog({ events });
  const t0 = performance.now();
  const outcome = await drive(benchSteps, replayLog, { runId: "bench", stepBudget: Number.POSITIVE_INFINITY });
  const ms = performance.now() - t0;
  if (outcome.status !== "completed") throw new Error(`replay ended ${outcome.status}`);
  return ms;
}

export interface DriverResults {
  liveStepUs: number;
  replay: { steps: number; events: number; ms: number; usPerEvent: number }[];
}

export async function runDriverBench(quick: boolean): Promise<DriverResults> {
  await timeLiveRun(1_000); // warm-up
  const live = await timeLiveRun(1_000);
  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const replay: DriverResults["replay"] = [];
  for (const steps of sizes) {
    const { log } = await timeLiveRun(steps);
    for (let i = 0; i < 3; i++) await timeReplay(log); // warm-up: let the JIT settle
    const ms = Math.min(await timeReplay(log), await timeReplay(log), await timeReplay(log));
    replay.push({
      steps,
      events: log.events.length,
      ms: round(ms),
      usPerEvent: round((ms * 1000) / log.events.length, 3),
    });
  }
  return { liveStepUs: round((live.ms * 1000) / 1_000, 1), replay };
}
