// Fan-out: one trigger invocation to N runs. Cairn: the daily-digest-cron trigger fanned out
// through the Queue to N subscriptions of the subscribable daily-digest workflow. Cloudflare
// Workflows has no subscriptions; its nearest equivalent is one request creating N instances
// with createBatch (100 per call, its documented limit) and waiting until all complete.
import { performance } from "node:perf_hooks";
import type { BenchClient } from "../lib/client.ts";
import { pool } from "../lib/client.ts";
import { round } from "../lib/stats.ts";
import { post, sleep, timed } from "./http.ts";

export interface FanOutPoint {
  runs: number;
  cairnMs: number;
  cloudflareMs: number;
}

/** Subscribes `user<from>` … `user<to - 1>` to daily-digest. */
export async function subscribe(client: BenchClient, from: number, to: number): Promise<void> {
  await pool(
    Array.from({ length: to - from }, (_, i) => from + i),
    50,
    (i) => post(client, "/workflows/daily-digest/subscriptions", { subscriber: `user${i}@example.com` }),
  );
}

const digestCounts = async (client: BenchClient) =>
  (await client.json<{ counts: Record<string, number> }>("/runs?workflow=daily-digest&limit=1")).counts;

/** The latest `finishedAt` (epoch ms) of the daily-digest runs created since `since`, paging the history. */
async function lastFinish(client: BenchClient, since: number): Promise<{ runs: number; lastFinishedAt: number }> {
  let runs = 0;
  let lastFinishedAt = 0;
  let cursor: string | undefined;
  do {
    const page = await client.json<{ runs: { finishedAt?: string }[]; next?: string }>(
      `/runs?workflow=daily-digest&since=${since}&limit=1000${cursor ? `&cursor=${cursor}` : ""}`,
    );
    for (const run of page.runs) lastFinishedAt = Math.max(lastFinishedAt, Date.parse(run.finishedAt ?? "") || 0);
    runs += page.runs.length;
    cursor = page.next;
  } while (cursor);
  return { runs, lastFinishedAt };
}

/**
 * Invokes the trigger once and polls the history until `runs` more daily-digest runs exist and
 * have succeeded. `allInHistoryMs` is from the poll (within one interval); `allFinishedMs` is
 * exact: the client's clock before the invocation to the last run's `finishedAt` (one machine).
 */
export async function cairnFanOut(
  client: BenchClient,
  runs: number,
  { pollMs = 50, timeoutMs = 600_000 } = {},
): Promise<{ fannedOut: number; allInHistoryMs?: number; allFinishedMs?: number }> {
  const before = await digestCounts(client);
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);
  const sentAt = Date.now();
  const t0 = performance.now();
  const fired = await post<{ fannedOut: number }>(client, "/triggers/daily-digest-cron/invoke", {});
  let allInHistoryMs: number | undefined;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await digestCounts(client);
    const now = performance.now() - t0;
    if (allInHistoryMs === undefined && total(counts) - total(before) >= runs) allInHistoryMs = now;
    if ((counts.success ?? 0) - (before.success ?? 0) >= runs) {
      const finished = await lastFinish(client, sentAt);
      if (finished.runs < runs) throw new Error(`${finished.runs} of ${runs} fanned-out runs are in the history`);
      return { fannedOut: fired.fannedOut, allInHistoryMs, allFinishedMs: finished.lastFinishedAt - sentAt };
    }
    await sleep(pollMs);
  }
  return { fannedOut: fired.fannedOut, allInHistoryMs };
}

export async function cloudflareFanOut(client: BenchClient, runs: number): Promise<number> {
  const params = Array.from({ length: runs }, (_, i) => ({ subscriber: `user${i}@example.com` }));
  const [, ms] = await timed(() => post(client, "/bench/cf-peer/digest/create?wait", { params }));
  return ms;
}

/** Sizes in increasing order; Cairn's subscriptions grow to each size between invocations. */
export async function measureFanOut(client: BenchClient, sizes: number[]): Promise<FanOutPoint[]> {
  const points: FanOutPoint[] = [];
  let subscribed = 0;
  for (const runs of sizes) {
    await subscribe(client, subscribed, runs);
    subscribed = runs;
    const cairn = await cairnFanOut(client, runs, { timeoutMs: 120_000 });
    if (cairn.allFinishedMs === undefined) throw new Error(`cairn fan-out to ${runs} did not finish`);
    points.push({
      runs,
      cairnMs: round(cairn.allFinishedMs),
      cloudflareMs: round(await cloudflareFanOut(client, runs)),
    });
  }
  return points;
}
