// `npm run bench:floor [-- N]`: the ceiling any run-per-Durable-Object engine has on this box.
// Requests/s through a Worker into Durable Objects with no engine code (closed loop), next to
// Cairn's 10-step runs measured the same way: a new object per request is what a run costs.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { startDevServer } from "../../test/support/wrangler-dev.ts";
import { pool } from "../lib/client.ts";

const requests = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 2000);
const levels = [10, 50];

async function rate(url: string, init: RequestInit | undefined, inFlight: number): Promise<number> {
  const once = async () => {
    const response = await fetch(url, init);
    if (!response.ok)
      throw new Error(`${url}: ${response.status} ${(await response.text()).match(/<title>[^<]*|[^<]{0,200}/)?.[0]}`);
    await response.text();
  };
  await pool(
    Array.from({ length: 50 }, (_, i) => i),
    10,
    once,
  ); // warm-up
  const t0 = performance.now();
  await pool(
    Array.from({ length: requests }, (_, i) => i),
    inFlight,
    once,
  );
  return Math.round(requests / ((performance.now() - t0) / 1000));
}

const results: { case: string; inFlight: number; perSecond: number }[] = [];
const cases = [
  { name: "one reused object, 20 rows", query: "rows=20&same" },
  { name: "new object, 1 row", query: "rows=1" },
  { name: "new object, 20 rows + alarm (a 10-step run's writes)", query: "rows=20&alarm" },
];
// A fresh server per level: local workerd fails SQLite allocations after ~10,000 object activations.
for (const inFlight of levels) {
  const floor = await startDevServer({ config: "bench/floor/wrangler.toml" });
  try {
    for (const { name, query } of cases)
      results.push({ case: name, inFlight, perSecond: await rate(`${floor.url}/?${query}`, undefined, inFlight) });
  } finally {
    await floor.stop();
  }
}
const cairn = await startDevServer({ config: "bench/wrangler.bench.toml" });
try {
  const init = {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ steps: 10 }),
  };
  for (const inFlight of levels)
    results.push({
      case: "Cairn 10-step run, start to finished",
      inFlight,
      perSecond: await rate(`${cairn.url}/workflows/bench-steps?wait=60`, init, inFlight),
    });
} finally {
  await cairn.stop();
}
console.log(JSON.stringify(results, null, 2));
if (process.argv.includes("--record"))
  writeFileSync(
    new URL("../results/floor.json", import.meta.url),
    `${JSON.stringify({ description: "Recorded by `npm run bench:floor -- --record`; rendered by bench/report-recorded.ts.", results }, null, 2)}\n`,
  );
