// 2,000 runs of the limited-sync example across 100 keys (`concurrency: { limit: 2, key }`) on
// `wrangler dev`: never more than 2 per key executing at once, every run finishes exactly once.
// Concurrency is observed from outside: each run's action reports when it entered and left.
import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

const RUNS = 2_000;
const KEYS = 100;
const LIMIT = 2; // examples/workflows/limited-sync.ts
const IN_FLIGHT = 100;
const WORK_MS = 20;
const PER_CHUNK = 5;

interface Run {
  runId: string;
  status: string;
  output?: Sync;
  createdAt: string;
  finishedAt?: string;
}

interface Sync {
  key: string;
  item: string;
  enteredAt: number;
  exitedAt: number;
}

let server: DevServer | undefined;

afterAll(async () => {
  await server?.stop();
});

/** Runs `task` over 0..n-1 with at most `width` in flight. */
async function pool<R>(n: number, width: number, task: (i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

/** A keyed start or a read, retried on a dropped connection or a 503 (both are safe to repeat). */
async function request<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
      if (response.status !== 503 || attempt >= 5)
        return { status: response.status, body: (await response.json()) as T };
      await response.text();
    } catch (error) {
      if (attempt >= 5) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
}

/** The most intervals open at one instant; an exit at the same millisecond as an entry closes first. */
function maxOverlap(syncs: Sync[]): number {
  const edges = syncs.flatMap((s) => [
    { at: s.enteredAt, delta: 1 },
    { at: s.exitedAt, delta: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let max = 0;
  for (const edge of edges) {
    open += edge.delta;
    max = Math.max(max, open);
  }
  return max;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

describe("flow control under load", () => {
  it("keeps 2,000 runs over 100 keys at ≤ 2 per key at once, and finishes each exactly once", async () => {
    server = await startDevServer();
    const base = server.url;
    const t0 = Date.now();

    // Starts wait for their run (`?wait`), so the 100 in flight are the live runs; 5 consecutive
    // starts share a key, so about 20 keys have 5 live runs each: 2 executing, 3 queued.
    const keyOf = (i: number) => `acct-${Math.floor(i / PER_CHUNK) % KEYS}`;
    const runs = await pool(RUNS, IN_FLIGHT, async (i) => {
      const { status, body } = await request<Run>(`${base}/workflows/limited-sync?wait=30`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `flow-load-${i}` },
        body: JSON.stringify({ account: keyOf(i), item: `item-${i}`, workMs: WORK_MS }),
      });
      expect([200, 202], `start ${i}`).toContain(status);
      let run = body;
      // A run still queued when the wait ran out: wait on it again.
      for (let round = 0; round < 5 && !run.finishedAt; round++)
        run = (await request<Run>(`${base}/runs/${body.runId}?wait=30`)).body;
      return run;
    });
    const totalMs = Date.now() - t0;
    expect(new Set(runs.map((r) => r.runId)).size, "distinct run ids").toBe(RUNS);

    const statuses: Record<string, number> = {};
    for (const run of runs) statuses[run.status] = (statuses[run.status] ?? 0) + 1;
    expect(statuses).toEqual({ success: RUNS });

    // Each item synced exactly once, under the key it was started with.
    const items = new Set<string>();
    const byKey = new Map<string, Sync[]>();
    runs.forEach((run, i) => {
      const sync = run.output!;
      expect(sync.key).toBe(keyOf(i));
      expect(sync.item).toBe(`item-${i}`);
      items.add(sync.item);
      byKey.set(sync.key, [...(byKey.get(sync.key) ?? []), sync]);
    });
    expect(items.size).toBe(RUNS);
    expect(byKey.size).toBe(KEYS);

    const overlaps = [...byKey.entries()].map(([key, syncs]) => ({ key, max: maxOverlap(syncs) }));
    const over = overlaps.filter((o) => o.max > LIMIT);
    expect(over, "keys with more than 2 runs executing at once").toEqual([]);
    // The limit was reached, not merely respected by runs that never met: the check can fail.
    expect(Math.max(...overlaps.map((o) => o.max))).toBe(LIMIT);

    const history = await request<{ counts: Record<string, number> }>(`${base}/runs?workflow=limited-sync&limit=1`);
    expect(history.body.counts.success).toBe(RUNS);

    // Fairness: each key's median time from start to finish (queueing included), across keys.
    const latencyByKey = [...byKey.keys()]
      .map((key) => {
        const own = runs
          .filter((r) => r.output?.key === key)
          .map((r) => Date.parse(r.finishedAt!) - Date.parse(r.createdAt))
          .sort((a, b) => a - b);
        return percentile(own, 0.5);
      })
      .sort((a, b) => a - b);
    const atLimit = overlaps.filter((o) => o.max === LIMIT).length;
    const queues = await request<unknown>(`${base}/workflows/limited-sync/queues`);
    console.log(
      [
        `flow-load: ${RUNS} runs, ${KEYS} keys, limit ${LIMIT}, ${IN_FLIGHT} starts in flight, workMs ${WORK_MS}`,
        `  all ${RUNS} started and finished in ${(totalMs / 1000).toFixed(1)} s (${Math.round((RUNS * 1000) / totalMs)} runs/s)`,
        `  keys that reached ${LIMIT} at once: ${atLimit}/${KEYS}; max observed per key: ${Math.max(...overlaps.map((o) => o.max))}`,
        `  per-key median start→finish (ms) across keys: min ${latencyByKey[0]}, p50 ${percentile(latencyByKey, 0.5)}, p95 ${percentile(latencyByKey, 0.95)}, max ${latencyByKey.at(-1)}`,
        `  GET /workflows/limited-sync/queues after: ${JSON.stringify(queues.body).slice(0, 200)}`,
      ].join("\n"),
    );
  }, 300_000);
});
