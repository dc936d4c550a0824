// `npm run bench:profile -- replay [steps]` or `-- throughput [in-flight] [seconds]`: a CPU profile
// of the Worker inside `wrangler dev` while it does one thing, and where its time went.
//   replay:     park a run after N steps, restart the server, profile the resume (load + replay).
//   throughput: closed loop of 10-step runs, profiled for a few seconds after a warm-up.
// The profile is written to bench/profiles/ (open it in Chrome DevTools → Performance).
import { mkdirSync, writeFileSync } from "node:fs";
import { freePort, startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient } from "./lib/client.ts";
import { type CpuProfile, callersOf, type HotSpot, selfTime, WorkerProfiler } from "./lib/inspector.ts";
import { BENCH_CONFIG } from "./peer/http.ts";

const [mode = "replay", ...rest] = process.argv.slice(2);
const numbers = rest.map(Number).filter((x) => Number.isFinite(x));

async function profileReplay(steps: number): Promise<CpuProfile> {
  const first = await startDevServer({ config: BENCH_CONFIG });
  let parked: { runId: string; token: string };
  try {
    const client = new BenchClient(first.url);
    const { runId } = await client.start("bench-replay", { steps });
    const run = await client.until(runId, ["waiting_on_hook"], 600_000);
    parked = { runId, token: run.hooks[0]!.token! };
  } finally {
    await first.stop();
  }
  const inspectorPort = await freePort();
  const server = await startDevServer({ config: BENCH_CONFIG, persistDir: first.persistDir, inspectorPort });
  try {
    const client = new BenchClient(server.url);
    await client.start("bench-steps", { steps: 1 }, 30); // load the code, not the parked run
    const profiler = await WorkerProfiler.connect(inspectorPort);
    await profiler.start();
    const sent = Date.now();
    await client.resume(parked.token);
    const run = await client.get(parked.runId, 300);
    const ms = Date.parse(run.finishedAt!) - sent;
    const profile = await profiler.stop();
    profiler.close();
    console.log(
      `replay of ${steps} steps: resume → finished ${ms} ms (${((ms * 1000) / (2 * steps)).toFixed(2)} µs/event)`,
    );
    return profile;
  } finally {
    await server.stop();
  }
}

async function profileThroughput(inFlight: number, seconds: number): Promise<CpuProfile> {
  const inspectorPort = await freePort();
  const server = await startDevServer({ config: BENCH_CONFIG, inspectorPort });
  try {
    const client = new BenchClient(server.url);
    const loop = async (ms: number) => {
      const end = Date.now() + ms;
      let runs = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          for (; Date.now() < end; runs++) await client.start("bench-steps", { steps: 10 }, 30);
        }),
      );
      return runs;
    };
    await loop(3_000);
    const profiler = await WorkerProfiler.connect(inspectorPort);
    await profiler.start();
    const runs = await loop(seconds * 1000);
    const profile = await profiler.stop();
    profiler.close();
    console.log(`${inFlight} in flight for ${seconds} s (profiler on): ${(runs / seconds).toFixed(1)} 10-step runs/s`);
    return profile;
  } finally {
    await server.stop();
  }
}

const profile =
  mode === "throughput"
    ? await profileThroughput(numbers[0] ?? 10, numbers[1] ?? 8)
    : await profileReplay(numbers[0] ?? 10_000);
const dir = new URL("./profiles/", import.meta.url);
mkdirSync(dir, { recursive: true });
const file = new URL(`${mode}-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`, dir);
writeFileSync(file, JSON.stringify(profile));
const print = (spots: HotSpot[]) => {
  for (const spot of spots)
    console.log(`${spot.ms.toFixed(1).padStart(9)} ms ${`${spot.share}%`.padStart(6)}  ${spot.frame}`);
};
console.log("\nself time (the function itself, not its callees):");
print(selfTime(profile));
console.log("\nSQLite (`exec`) by caller:");
print(callersOf(profile, "exec"));
console.log(`\nprofile: ${file.pathname}`);
