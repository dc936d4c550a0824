// `npm run bench:fan-out [-- --subscriptions N] [-- --record]`: one trigger fanned out to N
// subscriptions of the subscribable daily-digest workflow through the Queue; times until all
// runs started and finished. --record keeps the result in bench/results/fan-out.json, which
// BENCHMARKS.md renders (bench/report-recorded.ts).
import { execFileSync } from "node:child_process";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient } from "./lib/client.ts";
import { cairnFanOut, subscribe } from "./peer/fan-out.ts";
import { type FanOutRecord, recordResult } from "./report-recorded.ts";

const args = process.argv.slice(2);
const count = Number(args[args.indexOf("--subscriptions") + 1] ?? "") || 1_000;

execFileSync(process.execPath, ["bin/cairn.mjs", "generate", "examples"]);
const server = await startDevServer();
try {
  const client = new BenchClient(server.url);
  await subscribe(client, 0, count);
  const { fannedOut, allInHistoryMs, allFinishedMs } = await cairnFanOut(client, count, { pollMs: 200 });
  const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms / 100) / 10);
  const result: FanOutRecord = {
    subscriptions: count,
    fannedOut,
    allInHistorySeconds: seconds(allInHistoryMs),
    allFinishedSeconds: seconds(allFinishedMs),
  };
  console.log(JSON.stringify(result, null, 2));
  if (args.includes("--record")) recordResult("fan-out.json", "subscriptions", result);
  if (allFinishedMs === undefined) process.exitCode = 1;
} finally {
  await server.stop();
}
