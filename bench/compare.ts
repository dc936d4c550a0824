// Cairn and Cloudflare Workflows side by side in one `wrangler dev`, alternating A/B, same
// client, same work: per-step slope, start-to-finish latency, throughput, sleep lateness and
// event/hook resume latency. Every time is measured from the Node client.
import { performance } from "node:perf_hooks";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient, pool } from "./lib/client.ts";
import { leastSquares, round, type Summary, summarize } from "./lib/stats.ts";

type Engine = "cairn" | "cloudflare";

export interface Comparison {
  slope: Record<Engine, { msPerStep: number; interceptMs: number }>;
  oneStepLatency: Record<Engine, Summary>;
  throughput: Record<Engine, { inFlight: number; runs: number; runsPerSecond: number; stepsPerSecond: number }>;
  sleepLateness: Record<Engine, Summary>;
  resumeLatency: Record<Engine, Summary>;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

export async function runComparison(quick: boolean, log: (line: string) => void): Promise<Comparison> {
  const server = await startDevServer({ config: "bench/wrangler.bench.toml" });
  const client = new BenchClient(server.url);
  const post = <T>(path: string, body: unknown) =>
    client.json<T>(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const run: Record<Engine, (steps: number) => Promise<unknown>> = {
    cairn: async (steps) => {
      const r = await client.start("bench-steps", { steps }, 120);
      if (r.status !== "success") throw new Error(`cairn run ended ${r.status}`);
    },
    cloudflare: async (steps) => {
      const r = await post<{ status: string }>("/bench/cf/steps?wait", { steps });
      if (r.status !== "complete") throw new Error(`cloudflare run ended ${r.status}`);
    },
  };
  const engines: Engine[] = ["cairn", "cloudflare"];
  try {
    for (const engine of engines) await run[engine](5); // warm-up
    log("compare: per-step slope");
    const sizes = quick ? [1, 10, 50] : [1, 10, 100, 250, 500];
    const points: Record<Engine, [number, number][]> = { cairn: [], cloudflare: [] };
    for (const steps of sizes) {
      for (let rep = 0; rep < 2; rep++)
        for (const engine of engines) points[engine].push([steps, await timed(() => run[engine](steps))]);
    }
    const slope = Object.fromEntries(
      engines.map((e) => {
        const fit = leastSquares(points[e]);
        return [e, { msPerStep: round(fit.slope, 4), interceptMs: round(fit.intercept) }];
      }),
    ) as Comparison["slope"];

    log("compare: one-step latency");
    const latency: Record<Engine, number[]> = { cairn: [], cloudflare: [] };
    for (let i = 0; i < (quick ? 5 : 30); i++)
      for (const engine of engines) latency[engine].push(await timed(() => run[engine](1)));

    log("compare: throughput");
    const throughput = {} as Comparison["throughput"];
    const runs = quick ? 20 : 200;
    for (const engine of engines) {
      const ms = await timed(() =>
        pool(
          Array.from({ length: runs }, (_, i) => i),
          10,
          () => run[engine](10),
        ),
      );
      throughput[engine] = {
        inFlight: 10,
        runs,
        runsPerSecond: round(runs / (ms / 1000), 1),
        stepsPerSecond: round((runs * 10) / (ms / 1000), 1),
      };
    }

    log("compare: sleep lateness");
    const sleepMs = 2_000;
    const sleeping = quick ? 5 : 20;
    const lateness: Record<Engine, number[]> = { cairn: [], cloudflare: [] };
    await Promise.all([
      pool(
        Array.from({ length: sleeping }, (_, i) => i),
        sleeping,
        async () => {
          const t0 = Date.now();
          const started = await client.start("bench-sleep", { ms: sleepMs });
          await client.get(started.runId, 60);
          lateness.cairn.push(Date.now() - t0 - sleepMs);
        },
      ),
      pool(
        Array.from({ length: sleeping }, (_, i) => i),
        sleeping,
        async () => {
          const t0 = Date.now();
          await post("/bench/cf/sleep?wait", { ms: sleepMs });
          lateness.cloudflare.push(Date.now() - t0 - sleepMs);
        },
      ),
    ]);

    log("compare: resume latency");
    const waiting = quick ? 5 : 30;
    const resume: Record<Engine, number[]> = { cairn: [], cloudflare: [] };
    const cairnRuns = await pool(
      Array.from({ length: waiting }, (_, i) => i),
      10,
      async () => {
        const { runId } = await client.start("bench-hook", {});
        return { runId, token: (await client.until(runId, ["waiting_on_hook"])).hooks[0]!.token! };
      },
    );
    const cfRuns = await pool(
      Array.from({ length: waiting }, (_, i) => i),
      10,
      async () => {
        const { id } = await post<{ id: string }>("/bench/cf/event", {});
        // Local Workflows report "running" (not "waiting") while an instance waits for an event:
        // wait for it to run, then give it a moment to reach waitForEvent.
        for (;;) {
          const status = await client.json<{ status: string }>(`/bench/cf/event/${id}/status`);
          if (status.status === "waiting" || status.status === "running") break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        return id;
      },
    );
    for (let i = 0; i < waiting; i++) {
      resume.cairn.push(
        await timed(async () => {
          await client.resume(cairnRuns[i]!.token);
          await client.get(cairnRuns[i]!.runId, 30);
        }),
      );
      resume.cloudflare.push(
        await timed(async () => {
          await post(`/bench/cf/event/${cfRuns[i]}/send`, {});
          await client.json(`/bench/cf/event/${cfRuns[i]}/wait`);
        }),
      );
    }
    return {
      slope,
      oneStepLatency: { cairn: summarize(latency.cairn), cloudflare: summarize(latency.cloudflare) },
      throughput,
      sleepLateness: { cairn: summarize(lateness.cairn), cloudflare: summarize(lateness.cloudflare) },
      resumeLatency: { cairn: summarize(resume.cairn), cloudflare: summarize(resume.cloudflare) },
    };
  } finally {
    await server.stop();
  }
}
