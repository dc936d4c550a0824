// `npm run bench:big-run [-- --steps N] [-- --record]`: what reading a run of N steps costs
// (issue #19). Runs `bench-steps` with N no-op steps on `wrangler dev`, then times `GET /runs/:id`:
// the default answer (a summary and the first page of steps) against reading every step, page by
// page of the largest page size — the whole record, which is what one GET returned before steps were
// paged. Time and bytes per read, median of 5 (client clock).
import { loadavg } from "node:os";
import { startDevServer } from "../test/support/wrangler-dev.ts";
import { BenchClient } from "./lib/client.ts";
import { BENCH_CONFIG } from "./peer/http.ts";
import { round } from "./lib/stats.ts";
import { writeKeptSection } from "./report-recorded.ts";

const args = process.argv.slice(2);
const steps = args.includes("--steps") ? Number(args[args.indexOf("--steps") + 1]) : 99_990;
const MAX_PAGE = 5_000;
const log = (line: string) => process.stderr.write(`big-run: ${line}\n`);

async function timed(url: string): Promise<{ ms: number; bytes: number; next?: string }> {
  const started = performance.now();
  const response = await fetch(url);
  const text = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text.slice(0, 200)}`);
  return {
    ms,
    bytes: Buffer.byteLength(text),
    next: (JSON.parse(text) as { nextStepsCursor?: string }).nextStepsCursor,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const loadAverage = round(loadavg()[0]!, 1);
const server = await startDevServer({ config: BENCH_CONFIG });
try {
  const client = new BenchClient(server.url);
  log(`running ${steps} steps`);
  const { runId } = await client.start("bench-steps", { steps });
  const run = await client.until(runId, ["success", "failed"], 30 * 60_000);
  if (run.status !== "success") throw new Error(`the run ended ${run.status}`);
  const base = `${server.url}/runs/${runId}`;
  const firstPage: { ms: number; bytes: number }[] = [];
  const whole: { ms: number; bytes: number; pages: number }[] = [];
  for (let i = 0; i < 5; i++) {
    firstPage.push(await timed(base));
    let ms = 0;
    let bytes = 0;
    let pages = 0;
    for (let after: string | undefined; ; pages++) {
      const page = await timed(
        `${base}?steps_limit=${MAX_PAGE}${after ? `&steps_after=${encodeURIComponent(after)}` : ""}`,
      );
      ms += page.ms;
      bytes += page.bytes;
      if (!page.next) break;
      after = page.next;
    }
    whole.push({ ms, bytes, pages: pages + 1 });
  }
  const first = { ms: round(median(firstPage.map((r) => r.ms)), 1), kb: round(firstPage[0]!.bytes / 1024, 1) };
  const all = {
    ms: round(median(whole.map((r) => r.ms)), 0),
    kb: round(whole[0]!.bytes / 1024, 0),
    pages: whole[0]!.pages,
  };
  const result = { steps, firstPage: first, everyStep: all, loadAverage, measuredAt: new Date().toISOString() };
  console.log(JSON.stringify(result, null, 2));
  if (args.includes("--record"))
    writeKeptSection("4-big-run.md", [
      "## Reading a 100,000-step run (`npm run bench:big-run -- --record`)",
      "",
      `One \`bench-steps\` run of ${steps.toLocaleString("en")} steps on \`wrangler dev\`; \`GET /runs/:id\`, median of 5, client clock.`,
      "Before steps were paged, one GET returned every step: the second row reads them all, page by page.",
      "",
      "| read | time | bytes |",
      "| --- | --- | --- |",
      `| default answer: summary + first page (500 steps) | ${first.ms} ms | ${first.kb} KiB |`,
      `| every step (${all.pages} pages of ${MAX_PAGE.toLocaleString("en")}) | ${all.ms} ms | ${all.kb.toLocaleString("en")} KiB |`,
      "",
      `Measured ${result.measuredAt} with a 1-minute load average of ${loadAverage} on a 2-core machine.`,
    ]);
} finally {
  await server.stop();
}
