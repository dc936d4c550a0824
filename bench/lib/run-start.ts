// Run start latency: from the client's Date.now() just before the request to the first step
// starting (server clock) and to the finished answer of a 1-step run (client clock).
import { ENGINES, type Engine, type EngineDriver } from "./engines.ts";
import { type Summary, summarize } from "./stats.ts";

export type RunStart = Record<Engine, { firstStepMs: Summary; finishedMs: Summary }>;

export async function runStartLatency(engines: Record<Engine, EngineDriver>, samples: number): Promise<RunStart> {
  const firstStep: Record<Engine, number[]> = { cairn: [], cloudflare: [] };
  const finished: Record<Engine, number[]> = { cairn: [], cloudflare: [] };
  for (let i = 0; i < samples; i++) {
    for (const engine of ENGINES) {
      const t0 = Date.now();
      const run = await engines[engine].runSteps(1);
      finished[engine].push(Date.now() - t0);
      firstStep[engine].push((await run.firstStepAt()) - t0);
    }
  }
  const result = (e: Engine) => ({ firstStepMs: summarize(firstStep[e]), finishedMs: summarize(finished[e]) });
  return { cairn: result("cairn"), cloudflare: result("cloudflare") };
}
