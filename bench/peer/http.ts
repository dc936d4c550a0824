// POST with a JSON body through the bench client, and a timer.
import { performance } from "node:perf_hooks";
import type { BenchClient } from "../lib/client.ts";

export const post = <T>(client: BenchClient, path: string, body: unknown): Promise<T> =>
  client.json<T>(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await work();
  return [value, performance.now() - t0];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const BENCH_CONFIG = "bench/wrangler.bench.toml";
