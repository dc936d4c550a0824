// `npm run bench:parked [-- --runs N] [-- --engines cairn,cloudflare] [-- --record]`: memory per
// parked run at sizes too long for `npm run bench` (10,000 by default), each engine on a fresh
// `wrangler dev`. Wake-ups are spread (run i wakes i × 10 ms after the first) so the finish is a
// steady stream rather than N objects activating in the same instant, which local workerd does
// not survive at 10,000. --record keeps the result in bench/results/parked.json for BENCHMARKS.md.
import { execFileSync } from "node:child_process";
import { type Engine, measureMemory } from "./peer/memory.ts";
import { onFreshServer } from "./peer/server.ts";
import { type ParkedRecord, recordResult } from "./report-recorded.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(option("--runs")) || 10_000;
const engines = (option("--engines") ?? "cairn,cloudflare").split(",") as Engine[];
const STAGGER_MS = 10;

execFileSync(process.execPath, ["bin/cairn.mjs", "generate", "examples"]);
const log = (line: string) => process.stderr.write(`parked: ${line}\n`);
for (const engine of engines) {
  const result = await onFreshServer(`parked ${engine}`, log, (server) =>
    measureMemory(server, engine, [runs], { idleMs: 15_000, msPerStart: 12, staggerMs: STAGGER_MS, again: false }, log),
  ).catch((error: unknown) => ({ points: [], failed: [{ runs, error: String(error).slice(0, 200) }] }));
  const record: ParkedRecord = {
    key: `${engine}-${runs}`,
    engine,
    runs,
    staggerMs: STAGGER_MS,
    ...(result.points[0] ? { point: result.points[0] } : { failure: result.failed[0]?.error ?? "no result" }),
  };
  console.log(JSON.stringify(record, null, 2));
  if (args.includes("--record")) recordResult<ParkedRecord>("parked.json", "key", record);
}
