// `npm run bench:fan-out [-- --subscriptions N]`: one trigger fanned out to N subscriptions of the
// subscribable daily-digest workflow through the Queue; times until all runs started and finished.
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient, pool } from "./lib/client.ts";

const args = process.argv.slice(2);
const count = Number(args[args.indexOf("--subscriptions") + 1] ?? "") || 1_000;

execFileSync(process.execPath, ["scripts/generate-registry.mjs"]);
const server = await startDevServer();
try {
  const client = new BenchClient(server.url);
  const post = (path: string, body: unknown) =>
    client.json(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  await pool(
    Array.from({ length: count }, (_, i) => i),
    50,
    (i) => post("/workflows/daily-digest/subscriptions", { subscriber: `user${i}@example.com` }),
  );
  const t0 = performance.now();
  const fired = (await post("/triggers/daily-digest-cron/invoke", {})) as { fannedOut: number };
  const counts = async () =>
    (await client.json<{ counts: Record<string, number> }>("/runs?workflow=daily-digest&limit=1")).counts;
  let allStarted: number | undefined;
  let allFinished: number | undefined;
  const deadline = Date.now() + 600_000;
  while (allFinished === undefined && Date.now() < deadline) {
    const c = await counts();
    const total = Object.values(c).reduce((sum, n) => sum + n, 0);
    if (allStarted === undefined && total >= count) allStarted = performance.now() - t0;
    if ((c.success ?? 0) >= count) allFinished = performance.now() - t0;
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  console.log(
    JSON.stringify(
      {
        subscriptions: count,
        fannedOut: fired.fannedOut,
        allInHistorySeconds: allStarted === undefined ? null : Math.round(allStarted / 100) / 10,
        allFinishedSeconds: allFinished === undefined ? null : Math.round(allFinished / 100) / 10,
      },
      null,
      2,
    ),
  );
  if (allFinished === undefined) process.exitCode = 1;
} finally {
  await server.stop();
}
