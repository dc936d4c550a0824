// Cairn and Cloudflare Workflows (local, same `wrangler dev`) on what bench/compare.ts does not
// cover: replay cost after a restart, fan-out, storage per step, memory per parked run, and the
// per-step profile of the largest run. Sizes: quick (CI smoke), default, full (adds what does
// not fit the default's 10-minute budget).
import { BenchClient } from "./lib/client.ts";
import { type FanOutPoint, measureFanOut } from "./peer/fan-out.ts";
import { type Engine, type MemoryPoint, measureMemory } from "./peer/memory.ts";
import { measureReplay, type ReplayResults } from "./peer/replay.ts";
import { onFreshServer } from "./peer/server.ts";
import { measureStorage, type StoragePoint } from "./peer/storage.ts";

export type BenchSize = "quick" | "default";

export interface PeerResults {
  replay: ReplayResults;
  fanOut: FanOutPoint[];
  storage: StoragePoint[];
  memory: {
    cairn: MemoryPoint[];
    cloudflare: MemoryPoint[];
    /** Sizes an engine could not park (local workerd out of SQLite memory), with why. */
    failed: { engine: Engine; runs: number; error: string }[];
    idleSeconds: number;
  };
}

const sizes = {
  quick: {
    replay: { cairn: [10, 100], cloudflare: [10, 100] },
    fanOut: [10],
    storage: [
      { bytes: 0, steps: 20 },
      { bytes: 1_024, steps: 20 },
    ],
    memory: [10],
    idleMs: 2_000,
  },
  default: {
    // Local Cloudflare Workflows cannot record 10,000 steps in one instance: each step leaves two
    // long timers and workerd allows 10,000 active ones per request context (it fails between
    // ~3,000 and ~5,000). 2,000 stays clear of that under load. Cairn's largest is 99,998: its
    // 100,000-step limit counts the hook and the step after it.
    replay: { cairn: [10, 100, 1_000, 10_000, 99_998], cloudflare: [10, 100, 1_000, 2_000] },
    fanOut: [10, 100, 1_000],
    storage: [
      { bytes: 0, steps: 1_000 },
      { bytes: 1_024, steps: 1_000 },
      { bytes: 10_240, steps: 1_000 },
      { bytes: 102_400, steps: 100 },
    ],
    memory: [100, 1_000],
    idleMs: 15_000,
  },
};

export async function runPeerBench(size: BenchSize, log: (line: string) => void): Promise<PeerResults> {
  const s = size === "quick" ? sizes.quick : sizes.default;
  log("peer: replay after restart");
  const replay = await onFreshServer("replay", log, (server) => measureReplay(server, s.replay, log));
  log("peer: fan-out");
  const fanOut = await onFreshServer("fan-out", log, (server) => measureFanOut(new BenchClient(server.url), s.fanOut));
  log("peer: storage per step");
  const storage = await onFreshServer("storage", log, (server) =>
    measureStorage(server, new BenchClient(server.url), s.storage),
  );
  const memoryOptions = { idleMs: s.idleMs, msPerStart: 12 };
  const memory = (engine: Engine) =>
    onFreshServer(`memory ${engine}`, log, (server) => measureMemory(server, engine, s.memory, memoryOptions, log));
  // Both at once, each on its own server: RSS is read per server, and this phase is mostly waiting.
  const [cairn, cloudflare] = await Promise.all([memory("cairn"), memory("cloudflare")]);
  const failed = [
    ...cairn.failed.map((f) => ({ engine: "cairn" as const, ...f })),
    ...cloudflare.failed.map((f) => ({ engine: "cloudflare" as const, ...f })),
  ];
  return {
    replay,
    fanOut,
    storage,
    memory: { cairn: cairn.points, cloudflare: cloudflare.points, failed, idleSeconds: s.idleMs / 1000 },
  };
}
