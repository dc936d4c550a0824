// `npm run bench [-- --quick] [-- --out file.json] [-- --from file.json] [-- --write]`: the driver in Node, then
// the engine inside `wrangler dev`, then both engines side by side; prints a report and, with
// --write, rewrites BENCHMARKS.md. Sizes that do not fit its 10 minutes have their own commands
// (bench:load, bench:fan-out, bench:parked, bench:floor) whose recorded results it renders.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { runComparison } from "./compare.ts";
import { runDriverBench } from "./driver-bench.ts";
import { runEngineBench } from "./engine-bench.ts";
import { runPeerBench } from "./peer-bench.ts";
import { renderReport } from "./report.ts";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const size = quick ? "quick" : "default";
const outIndex = args.indexOf("--out");
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;

execFileSync(process.execPath, ["bin/cairn.mjs", "generate", "examples"]);
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

const environment = {
  date: new Date().toISOString(),
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`,
  node: process.version,
  wrangler: execFileSync("npx", ["wrangler", "--version"], { encoding: "utf8" }).trim().split("\n").at(-1),
  git: execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim(),
  size,
};

async function measure() {
  log("driver (Node)");
  const driver = await runDriverBench(quick);
  const engineOnly = await runEngineBench(quick, log);
  const comparison = await runComparison(quick, log);
  const peer = await runPeerBench(size, log);
  // Cairn's cold replay is measured with Cloudflare's, after one restart for both.
  const engine = { ...engineOnly, coldReplay: peer.replay.cairn.map(({ steps, ms }) => ({ steps, ms })) };
  return { environment, driver, engine, comparison, peer };
}

// --from re-renders a saved --out file (after recording load, fan-out or floor) without measuring again.
const fromIndex = args.indexOf("--from");
const results: Awaited<ReturnType<typeof measure>> =
  fromIndex >= 0 ? JSON.parse(readFileSync(args[fromIndex + 1]!, "utf8")) : await measure();
if (out) writeFileSync(out, JSON.stringify(results, null, 2));
const report = renderReport(results);
process.stdout.write(`${report}\n`);
if (args.includes("--write")) writeFileSync("BENCHMARKS.md", report);
