// Replay cost after a restart, both engines: runs with N recorded steps park (Cairn on a hook,
// Cloudflare on waitForEvent), `wrangler dev` restarts on the same state, and resume → finished
// is timed, so every recorded step is loaded and replayed from SQLite.
import { type DevServer, startDevServer } from "../../test/support/wrangler-dev.ts";
import { BenchClient } from "../lib/client.ts";
import { round } from "../lib/stats.ts";
import { BENCH_CONFIG, post, timed } from "./http.ts";
import { type StepProfile, timestampProfile } from "./profile.ts";

export interface ReplayPoint {
  steps: number;
  /** Events in the log (Cairn: two per step plus the run's own). */
  events?: number;
  ms: number;
  usPerStep: number;
  usPerEvent?: number;
  /** Cloudflare: the part of `ms` spent in `get(id)`, which locally also reads the instance's log. */
  getMs?: number;
}

export interface ReplayResults {
  cairn: ReplayPoint[];
  cloudflare: ReplayPoint[];
  /** Cloudflare sizes that could not be recorded, with why (local timer quota, see peer-bench.ts). */
  cloudflareFailed: { steps: number; error: string }[];
  /** The largest Cloudflare instance's first run (creation to its `ready` step) and step profile. */
  cloudflareLargest?: { steps: number; ms: number; profile: StepProfile };
}

interface ParkedCf {
  steps: number;
  id: string;
  createMs: number;
}

async function parkCairn(client: BenchClient, steps: number) {
  const { runId } = await client.start("bench-replay", { steps });
  const run = await client.until(runId, ["waiting_on_hook"], 600_000);
  const { events } = await client.json<{ events: number }>(`/bench/storage/${runId}`);
  return { steps, runId, events, token: run.hooks[0]!.token! };
}

async function parkCloudflare(client: BenchClient, steps: number): Promise<ParkedCf> {
  // One at a time, so the largest one's step timestamps are not slowed by the others.
  const [id, createMs] = await timed(async () => {
    const { ids } = await post<{ ids: string[] }>(client, "/bench/cf-peer/replay/create", { params: [{ steps }] });
    await post(client, "/bench/cf-peer/replay/ready", { ids });
    return ids[0]!;
  });
  return { steps, id, createMs };
}

/** Parks runs on `server`, restarts it on the same state (then stops the restarted one) and resumes them. */
export async function measureReplay(
  server: DevServer,
  sizes: { cairn: number[]; cloudflare: number[] },
  log: (line: string) => void,
): Promise<ReplayResults> {
  const client = new BenchClient(server.url);
  const cairn = [];
  for (const steps of sizes.cairn) cairn.push(await parkCairn(client, steps));
  const cloudflare: ParkedCf[] = [];
  const cloudflareFailed: ReplayResults["cloudflareFailed"] = [];
  for (const steps of sizes.cloudflare) {
    try {
      cloudflare.push(await parkCloudflare(client, steps));
    } catch (error) {
      // Reported, not fatal: local workerd restarts the Worker when the engine runs out of timers.
      cloudflareFailed.push({ steps, error: (error as Error).message.slice(0, 200) });
    }
  }
  log("peer: replay — restarting wrangler dev");
  await server.stop();
  const restarted = await startDevServer({ config: BENCH_CONFIG, persistDir: server.persistDir, port: server.port });
  try {
    return await resumeAll(new BenchClient(restarted.url), cairn, cloudflare, cloudflareFailed);
  } finally {
    await restarted.stop();
  }
}

async function resumeAll(
  client: BenchClient,
  cairn: Awaited<ReturnType<typeof parkCairn>>[],
  cloudflare: ParkedCf[],
  cloudflareFailed: ReplayResults["cloudflareFailed"],
): Promise<ReplayResults> {
  // Warm the isolate and each engine's code path, not the parked runs.
  await client.start("bench-steps", { steps: 1 }, 30);
  await post(client, "/bench/cf-peer/digest/create?wait", { params: [{ subscriber: "warm" }] });

  const results: ReplayResults = { cairn: [], cloudflare: [], cloudflareFailed };
  for (const { steps, runId, events, token } of cairn) {
    // Resume request → the run's finish on the server clock (same machine): the run record the
    // client then reads lists every step, and serialising 100,000 of them is not replay.
    const sent = Date.now();
    await client.resume(token);
    const run = await client.get(runId, 300);
    if (run.status !== "success" || !run.finishedAt)
      throw new Error(`replay run ended ${run.status}: ${JSON.stringify((run as { error?: unknown }).error)}`);
    const ms = Date.parse(run.finishedAt) - sent;
    results.cairn.push({
      steps,
      events,
      ms: round(ms),
      usPerStep: round((ms * 1000) / steps, 1),
      usPerEvent: round((ms * 1000) / events, 2),
    });
  }
  for (const { steps, id } of cloudflare) {
    const [sent, ms] = await timed(() =>
      post<{ getMs: number }>(client, "/bench/cf-peer/replay/send?wait", { ids: [id], type: "resume" }),
    );
    const { status } = await post<{ status: string }>(client, "/bench/cf-peer/replay/output", { ids: [id] });
    if (status !== "complete") throw new Error(`cloudflare replay instance ended ${status}`);
    results.cloudflare.push({ steps, ms: round(ms), usPerStep: round((ms * 1000) / steps, 1), getMs: sent.getMs });
  }
  const largest = cloudflare.at(-1);
  if (largest) {
    const { output } = await post<{ output: { at: number[] } }>(client, "/bench/cf-peer/replay/output", {
      ids: [largest.id],
    });
    results.cloudflareLargest = {
      steps: largest.steps,
      ms: round(largest.createMs),
      profile: timestampProfile(output.at),
    };
  }
  return results;
}
