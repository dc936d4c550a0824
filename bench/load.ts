// `npm run bench:load [-- --runs N] [-- --record]`: N greeting runs started concurrently over
// HTTP against `wrangler dev`; checks none is lost or duplicated, all succeed, and history counts
// match. Records the time and the workerd processes' memory before, at peak and after; --record
// keeps the result in bench/results/load.json, which BENCHMARKS.md renders (report-recorded.ts).
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient, pool } from "./lib/client.ts";
import { startGreetings, waitForFinishedGreetings } from "./lib/greeting-load.ts";
import { workerdRssMiB } from "./lib/workerd-rss.ts";
import { recordResult } from "./report-recorded.ts";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] ?? "") || 10_000;

execFileSync(process.execPath, ["bin/cairn.mjs", "generate", "examples"]);
const server = await startDevServer();
try {
  const client = new BenchClient(server.url);
  await client.start("greeting", { name: "warm" }, 10);
  // This server's workerd only (not other dev servers on the machine), in whole MiB.
  const rss = () => Math.round(workerdRssMiB(server.port));
  const rssBefore = rss();
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 1000);
  const t0 = performance.now();
  const ids = await startGreetings(client, runs, "load");
  const started = performance.now();
  await waitForFinishedGreetings(client, runs);
  // Every started id must be in the history with status success: page through it rather than
  // reading each run's object (local workerd fails SQLite allocations after ~10,000 object
  // activations in quick succession). A sample is then read from the run objects themselves.
  const statuses = new Map<string, number>();
  const historyIds = new Set<string>();
  for (let cursor: string | undefined; ; ) {
    const page = await client.json<{ runs: { runId: string; status: string }[]; next?: string }>(
      `/runs?workflow=greeting&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    for (const run of page.runs) historyIds.add(run.runId);
    for (const run of page.runs) statuses.set(run.status, (statuses.get(run.status) ?? 0) + 1);
    if (!page.next) break;
    cursor = page.next;
  }
  const missing = ids.filter((id) => !historyIds.has(id));
  let serverErrors = 0;
  const sample = ids.filter((_, i) => i % Math.max(1, Math.floor(runs / 500)) === 0);
  const sampleStatuses = new Map<string, number>();
  await pool(sample, 20, async (runId) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const run = await client.get(runId);
        sampleStatuses.set(run.status, (sampleStatuses.get(run.status) ?? 0) + 1);
        return;
      } catch (error) {
        // A 5xx under load is counted and reported; the run itself must still finish.
        serverErrors++;
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  });
  const finished = performance.now();
  clearInterval(sampler);
  const history = await client.json<{ counts: Record<string, number> }>("/runs?workflow=greeting&limit=1");
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const rssAfter = rss();
  const result = {
    runs,
    distinctRunIds: new Set(ids).size,
    historyStatuses: Object.fromEntries(statuses),
    missingFromHistory: missing.length,
    sampleReadFromRunObjects: Object.fromEntries(sampleStatuses),
    historySuccess: history.counts.success,
    serverErrorsWhileWaiting: serverErrors,
    startSeconds: Math.round((started - t0) / 100) / 10,
    totalSeconds: Math.round((finished - t0) / 100) / 10,
    runsPerSecond: Math.round((runs / ((finished - t0) / 1000)) * 10) / 10,
    memoryMiB: { before: rssBefore, peak, afterIdle: rssAfter },
  };
  console.log(JSON.stringify(result, null, 2));
  const ok =
    result.distinctRunIds === runs &&
    missing.length === 0 &&
    sampleStatuses.get("success") === sample.length &&
    (history.counts.success ?? 0) >= runs;
  if (args.includes("--record")) recordResult("load.json", "runs", { ...result, ok });
  if (!ok) process.exitCode = 1;
} finally {
  await server.stop();
}
