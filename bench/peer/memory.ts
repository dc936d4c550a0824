// Memory per parked run, both engines: RSS of the workerd processes of a fresh `wrangler dev`
// with N runs sleeping at once (Cairn: bench-sleep on its alarm; Cloudflare: step.sleep), read
// once they have been idle long enough for local workerd to evict idle Durable Objects (10 s
// after their last request), and again after they all finished. Local workerd's allocator keeps
// freed memory, so RSS after finishing plateaus rather than falling back to the baseline; a
// second batch of the largest size shows whether that memory is reused.
import { join } from "node:path";
import type { DevServer } from "../../test/support/wrangler-dev.ts";
import { BenchClient, pool } from "../lib/client.ts";
import { round } from "../lib/stats.ts";
import { openDatabases, workerdRssMiB } from "../lib/workerd-rss.ts";
import { post, sleep } from "./http.ts";

export type Engine = "cairn" | "cloudflare";

/** Where each engine's per-run Durable Objects keep their databases under the persist dir. */
const OBJECT_DIRS: Record<Engine, string> = {
  cairn: "v3/do/cairn-bench-RunObject",
  cloudflare: "v3/workflows/miniflare-workflows-cf-peer-sleep",
};

export interface MemoryPoint {
  runs: number;
  /** 2 for the same size again once the first batch finished: does the memory get reused? */
  batch: number;
  /** RSS the per-run figure is relative to: the baseline, or for batch 2 the RSS after batch 1. */
  beforeMiB: number;
  parkedMiB: number;
  afterMiB: number;
  /** (parked − before) / runs. */
  perRunMiB: number;
  /** Runs still sleeping when RSS was read (should be all of them). */
  stillParked: number;
  /** Their Durable Object databases workerd still held open then (not evicted). */
  openObjects: number;
  startSeconds: number;
}

interface EngineOps {
  /** Starts `runs` sleeping runs; run `i` wakes at `wakeAt(i)`. */
  start(runs: number, wakeAt: (i: number) => number): Promise<string[]>;
  parked(ids: string[]): Promise<number>;
  finished(ids: string[]): Promise<void>;
}

function engineOps(client: BenchClient, engine: Engine): EngineOps {
  if (engine === "cairn") {
    const counts = async () =>
      (await client.json<{ counts: Record<string, number> }>("/runs?workflow=bench-sleep&limit=1")).counts;
    let doneBefore = 0;
    return {
      async start(runs, wakeAt) {
        doneBefore = (await counts()).success ?? 0;
        return pool(
          Array.from({ length: runs }, (_, i) => i),
          50,
          async (i) => (await client.start("bench-sleep", { ms: Math.max(0, wakeAt(i) - Date.now()) })).runId,
        );
      },
      // From the history's counts: asking each run would load it back into memory.
      parked: async () => (await counts()).sleeping ?? 0,
      async finished(ids) {
        const deadline = Date.now() + 300_000;
        for (;;) {
          const done = ((await counts()).success ?? 0) - doneBefore;
          if (done >= ids.length) return;
          if (Date.now() > deadline) throw new Error(`${done} of ${ids.length} sleeping runs finished in 5 minutes`);
          await sleep(250);
        }
      },
    };
  }
  return {
    async start(runs, wakeAt) {
      const ids: string[] = [];
      // Batches of 100 from a few requests in flight, each instance's sleep ending at wakeAt.
      const batches = Array.from({ length: Math.ceil(runs / 100) }, (_, b) => ({
        first: b * 100,
        size: Math.min(100, runs - b * 100),
      }));
      await pool(batches, 4, async ({ first, size }) => {
        const params = Array.from({ length: size }, (_, i) => ({ ms: Math.max(0, wakeAt(first + i) - Date.now()) }));
        ids.push(...(await post<{ ids: string[] }>(client, "/bench/cf-peer/sleep/create", { params })).ids);
      });
      return ids;
    },
    // Asking wakes every instance, so this is read after RSS.
    async parked(ids) {
      const { statuses } = await post<{ statuses: Record<string, number> }>(client, "/bench/cf-peer/sleep/status", {
        ids,
      });
      return ids.length - (statuses.complete ?? 0) - (statuses.errored ?? 0) - (statuses.terminated ?? 0);
    },
    async finished(ids) {
      await post(client, "/bench/cf-peer/sleep/wait", { ids });
    },
  };
}

/** A few reads a second apart, averaged: RSS moves a little on its own. */
async function rss(port: number): Promise<number> {
  const reads: number[] = [];
  for (let i = 0; i < 3; i++) {
    if (i) await sleep(1_000);
    reads.push(workerdRssMiB(port));
  }
  return round(reads.reduce((a, b) => a + b, 0) / reads.length, 1);
}

/**
 * Per engine, on a fresh server of its own: each size in turn (smallest first). Every run is told to
 * wake at the same moment, far enough out to start them all and then stay idle for `idleMs`.
 */
export interface ParkOptions {
  idleMs: number;
  /** Time allowed per start before the first wake-up. */
  msPerStart: number;
  /** Spreads the wake-ups: run `i` wakes `i × staggerMs` after the first (0: all at once). */
  staggerMs?: number;
  /** Park the largest size a second time once the first batch finished (default true). */
  again?: boolean;
}

export async function measureMemory(
  server: DevServer,
  engine: Engine,
  sizes: number[],
  options: ParkOptions,
  log: (line: string) => void,
): Promise<{ points: MemoryPoint[]; failed: { runs: number; error: string }[] }> {
  const { idleMs } = options;
  const client = new BenchClient(server.url);
  const ops = engineOps(client, engine);
  const warm = Date.now() + 500;
  await ops.finished(await ops.start(5, () => warm)); // load the code paths once
  await sleep(Math.min(idleMs, 5_000));
  const baseline = await rss(server.port);
  const objects = join(server.persistDir, OBJECT_DIRS[engine]);
  const points: MemoryPoint[] = [];
  const failed: { runs: number; error: string }[] = [];
  // Each size once from the baseline, then the largest again after it finished.
  const batches = sizes.map((runs) => ({ runs, batch: 1 }));
  if (options.again ?? true) batches.push({ runs: sizes.at(-1)!, batch: 2 });
  for (const { runs, batch } of batches) {
    log(`peer: memory — ${engine}, ${runs} parked${batch > 1 ? ", again" : ""}`);
    try {
      points.push(
        await parkBatch(
          server,
          ops,
          objects,
          { runs, batch, before: batch > 1 ? points.at(-1)!.afterMiB : baseline },
          options,
        ),
      );
    } catch (error) {
      // Reported, not fatal: local workerd runs out of SQLite memory with enough objects open.
      failed.push({ runs, error: String(error).slice(0, 200) });
      break;
    }
  }
  return { points, failed };
}

/** One batch: start `runs` sleeping runs, read RSS once they are idle, wait for them to finish. */
async function parkBatch(
  server: DevServer,
  ops: EngineOps,
  objects: string,
  { runs, batch, before }: { runs: number; batch: number; before: number },
  { idleMs, msPerStart, staggerMs = 0 }: ParkOptions,
): Promise<MemoryPoint> {
  const t0 = Date.now();
  const firstWake = t0 + 3_000 + runs * msPerStart + idleMs + 5_000;
  const ids = await ops.start(runs, (i) => firstWake + i * staggerMs);
  const startSeconds = (Date.now() - t0) / 1000;
  await sleep(idleMs);
  const parkedMiB = await rss(server.port);
  const openObjects = openDatabases(server.port, objects);
  const stillParked = await ops.parked(ids);
  await ops.finished(ids);
  await sleep(3_000);
  return {
    runs,
    batch,
    beforeMiB: before,
    parkedMiB,
    afterMiB: await rss(server.port),
    perRunMiB: round((parkedMiB - before) / runs, 3),
    stillParked,
    openObjects,
    startSeconds: round(startSeconds, 1),
  };
}
