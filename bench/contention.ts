// `npm run bench:contention [-- --runs N] [-- --shards S] [-- --record]`: N greeting runs started
// concurrently on `wrangler dev` with the bench Worker's metered objects (bench/object-meter.ts).
// Reports the busiest Durable Object other than the runs' own (requests, and its share of the
// starts), then pages the history with limit=100 and checks every run appears exactly once, newest
// first. --record keeps the result in bench/results/contention.json (rendered into BENCHMARKS.md).
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { DEFAULT_HISTORY_SHARDS } from "../src/limits.ts";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient } from "./lib/client.ts";
import { startGreetings, waitForFinishedGreetings } from "./lib/greeting-load.ts";
import { frozenBenchConfig } from "./lib/frozen-worker.ts";
import type { MeterReport } from "./meter-report.ts";
import { recordResult } from "./report-recorded.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1] ?? "") || fallback;
const runs = args.includes("--runs") ? option("--runs", 10_000) : 10_000;
const shards = args.includes("--shards") ? option("--shards", DEFAULT_HISTORY_SHARDS) : DEFAULT_HISTORY_SHARDS;
const PAGE = 100;

execFileSync(process.execPath, ["bin/cairn.mjs", "generate", "examples"]);
const server = await startDevServer({
  config: frozenBenchConfig(),
  vars: { CAIRN_HISTORY_SHARDS: String(shards) },
});
try {
  const client = new BenchClient(server.url);
  await client.start("greeting", { name: "warm" }, 10);
  await client.json("/bench/meter", { method: "DELETE" });
  const t0 = performance.now();
  const ids = await startGreetings(client, runs, "contention");
  const startSeconds = (performance.now() - t0) / 1000;
  // With the warm-up run.
  await waitForFinishedGreetings(client, runs + 1);
  const meter = await client.json<MeterReport>("/bench/meter");

  // Listing correctness: pages of 100, every run once, in (createdAt desc, runId desc) order.
  const seen = new Map<string, number>();
  let pages = 0;
  let outOfOrder = 0;
  let previous: { createdAt: string; runId: string } | undefined;
  for (let cursor: string | undefined; ; ) {
    const page = await client.json<{ runs: { runId: string; createdAt: string }[]; next?: string }>(
      `/runs?workflow=greeting&limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    pages++;
    for (const run of page.runs) {
      seen.set(run.runId, (seen.get(run.runId) ?? 0) + 1);
      if (previous) {
        const t = Date.parse(run.createdAt) - Date.parse(previous.createdAt);
        if (t > 0 || (t === 0 && run.runId >= previous.runId)) outOfOrder++;
      }
      previous = run;
    }
    if (!page.next) break;
    cursor = page.next;
  }
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const missing = ids.filter((id) => !seen.has(id)).length;

  const { RunObject: runObjects, ...others } = meter.classes;
  const busiest = Object.entries(others)
    .filter(([name]) => name !== "worker")
    .flatMap(([name, c]) => c.busiest.map((b) => ({ object: `${name}:${b.id}`, ...b })))
    .sort((a, b) => b.requests - a.requests)[0];
  const result = {
    runs,
    shards,
    startSeconds: Math.round(startSeconds * 10) / 10,
    busiestObject: busiest?.object,
    busiestRequests: busiest?.requests ?? 0,
    busiestMethods: busiest?.methods ?? {},
    busiestStarts: busiest?.methods["upsert:queued"] ?? 0,
    busiestShareOfStarts: busiest ? Math.round(((busiest.methods["upsert:queued"] ?? 0) / runs) * 10_000) / 10_000 : 0,
    // The shard that received the most starts (not necessarily the busiest by requests).
    mostStarts: others.IndexObject?.mostByMethod["upsert:queued"] ?? null,
    busiestShareOfRuns: busiest ? Math.round((busiest.requests / runs) * 10_000) / 10_000 : 0,
    historyRequests: others.IndexObject?.requests ?? 0,
    historyObjects: others.IndexObject?.objects ?? 0,
    runObjectRequests: runObjects?.requests ?? 0,
    workerRequests: meter.classes.worker?.requests ?? 0,
    listing: { pageSize: PAGE, pages, listed: seen.size, duplicates, missing, outOfOrder },
  };
  console.log(JSON.stringify({ ...result, classes: meter.classes }, null, 2));
  const ok = duplicates === 0 && missing === 0 && outOfOrder === 0 && new Set(ids).size === runs;
  if (args.includes("--record")) recordResult("contention.json", "runs", { ...result, ok });
  if (!ok) process.exitCode = 1;
} catch (error) {
  console.error(server.logs().slice(-3000));
  throw error;
} finally {
  await server.stop();
}
