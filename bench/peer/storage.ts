// Storage per step, both engines, measured the same way: the run's (instance's) own Durable
// Object SQLite database under the persist dir, for a run with N payload steps minus one with 0.
// Cairn's also from ctx.storage.sql.databaseSize (RunObject.storageStats), as a cross-check.
import { join } from "node:path";
import type { DevServer } from "../../test/support/wrangler-dev.ts";
import type { BenchClient } from "../lib/client.ts";
import { objectDatabases, type SqliteSize, sqliteSize } from "../lib/sqlite-size.ts";
import { round } from "../lib/stats.ts";
import { post } from "./http.ts";

export interface StoragePoint {
  payloadBytes: number;
  steps: number;
  /** Bytes per step beyond the payload: database pages in use, and raw files (with the WAL). */
  cairn: { databasePerStep: number; filePerStep: number; storageStatsPerStep: number };
  cloudflare: { databasePerStep: number; filePerStep: number };
}

/** The one database file `work` creates in `dir`. */
async function newDatabase(dir: string, work: () => Promise<unknown>): Promise<string> {
  const before = objectDatabases(dir);
  await work();
  const created = [...objectDatabases(dir)].filter((path) => !before.has(path));
  if (created.length !== 1) throw new Error(`expected one new database in ${dir}, found ${created.length}`);
  return created[0]!;
}

const perStep = (full: number, empty: number, steps: number, bytes: number) => round((full - empty) / steps - bytes, 1);

export async function measureStorage(
  server: DevServer,
  client: BenchClient,
  payloads: { bytes: number; steps: number }[],
): Promise<StoragePoint[]> {
  const cairnDir = join(server.persistDir, "v3/do/cairn-bench-RunObject");
  const cfDir = join(server.persistDir, "v3/workflows/miniflare-workflows-cf-peer-payload");
  const cairnRun = async (steps: number, bytes: number) => {
    let runId = "";
    const path = await newDatabase(cairnDir, async () => {
      const run = await client.start("bench-payload", { steps, bytes }, 120);
      if (run.status !== "success") throw new Error(`bench-payload ended ${run.status}`);
      runId = run.runId;
    });
    return { path, runId };
  };
  const cfInstance = (steps: number, bytes: number) =>
    newDatabase(cfDir, () => post(client, "/bench/cf-peer/payload/create?wait", { params: [{ steps, bytes }] }));
  const stats = (runId: string) => client.json<{ databaseBytes: number }>(`/bench/storage/${runId}`);

  const runs = [];
  for (const { bytes, steps } of payloads) {
    runs.push({
      bytes,
      steps,
      cairn: [await cairnRun(0, bytes), await cairnRun(steps, bytes)],
      cloudflare: [await cfInstance(0, bytes), await cfInstance(steps, bytes)],
    });
  }
  // Sizes are read once every run is done, so each database saw its last commit.
  const points: StoragePoint[] = [];
  for (const { bytes, steps, cairn, cloudflare } of runs) {
    const [c0, c1] = cairn.map(({ path }) => sqliteSize(path)) as [SqliteSize, SqliteSize];
    const [f0, f1] = cloudflare.map(sqliteSize) as [SqliteSize, SqliteSize];
    const [s0, s1] = [await stats(cairn[0]!.runId), await stats(cairn[1]!.runId)];
    points.push({
      payloadBytes: bytes,
      steps,
      cairn: {
        databasePerStep: perStep(c1.databaseBytes, c0.databaseBytes, steps, bytes),
        filePerStep: perStep(c1.fileBytes, c0.fileBytes, steps, bytes),
        storageStatsPerStep: perStep(s1.databaseBytes, s0.databaseBytes, steps, bytes),
      },
      cloudflare: {
        databasePerStep: perStep(f1.databaseBytes, f0.databaseBytes, steps, bytes),
        filePerStep: perStep(f1.fileBytes, f0.fileBytes, steps, bytes),
      },
    });
  }
  return points;
}
