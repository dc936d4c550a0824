// The side-by-side tables and targets of BENCHMARKS.md: both engines in each row, and Cairn's
// advantage as a ratio (above 1× Cairn is faster, below 1× Cloudflare Workflows is).
import type { Comparison } from "../compare.ts";
import type { Summary } from "./stats.ts";

const ms = (x: number) =>
  Number.isFinite(x) ? (x >= 1000 ? Math.round(x).toLocaleString("en") : x.toFixed(1)) : "n/a";
const pmm = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)} ms`;
const triple = (s: Summary) => `${pmm(s)} (n=${s.n})`;
/** How many times lower Cairn's figure is (latency, lateness). */
const lower = (cairn: number, cloudflare: number) => (cairn > 0 ? `${(cloudflare / cairn).toFixed(1)}×` : "n/a");
/** How many times higher Cairn's figure is (throughput). */
const higher = (cairn: number, cloudflare: number) => lower(cloudflare, cairn);
const count = (n: number) => n.toLocaleString("en");

function runStartTable(c: Comparison): string[] {
  const { cairn, cloudflare } = c.runStart;
  return [
    "### Run start latency (1-step runs, sequential, alternating)",
    "",
    "| from the request to | Cairn p50 / p99 / max | Cloudflare Workflows p50 / p99 / max | Cairn's advantage (p50) |",
    "| --- | --- | --- | --- |",
    `| first step started | ${triple(cairn.firstStepMs)} | ${triple(cloudflare.firstStepMs)} | ${lower(cairn.firstStepMs.p50, cloudflare.firstStepMs.p50)} |`,
    `| run finished (answer received) | ${triple(cairn.finishedMs)} | ${triple(cloudflare.finishedMs)} | ${lower(cairn.finishedMs.p50, cloudflare.finishedMs.p50)} |`,
    "",
    "From the client's `Date.now()` just before the request. First step: Cairn's `step_started` event time; Cloudflare: `Date.now()` returned by the first step.",
    "",
  ];
}

function closedLoopTable(c: Comparison): string[] {
  const errors = c.closedLoop.flatMap(({ steps, inFlight, results }) =>
    (["cairn", "cloudflare"] as const)
      .filter((e) => results[e].errors > 0)
      .map(
        (e) =>
          `- ${e}, ${steps}-step runs at ${inFlight} in flight: ${results[e].errors} failed (${results[e].firstError}).`,
      ),
  );
  return [
    "### Throughput, closed loop (each client starts its next run when the last one finished)",
    "",
    "| run | in flight | Cairn runs/s | Cairn steps/s | Cairn latency p50 / p99 / max | Cloudflare runs/s | Cloudflare steps/s | Cloudflare latency p50 / p99 / max | runs (Cairn / CF) | Cairn's advantage (steps/s) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...c.closedLoop.map(({ steps, inFlight, results: { cairn, cloudflare } }) =>
      [
        `| ${steps}-step | ${inFlight}`,
        cairn.runsPerSecond,
        cairn.stepsPerSecond,
        pmm(cairn.latencyMs),
        cloudflare.runsPerSecond,
        cloudflare.stepsPerSecond,
        pmm(cloudflare.latencyMs),
        `${count(cairn.runs)} / ${count(cloudflare.runs)}`,
        `${higher(cairn.stepsPerSecond, cloudflare.stepsPerSecond)} |`,
      ].join(" | "),
    ),
    "",
    ...(errors.length ? ["Failed runs (not retried, left out of the rates):", "", ...errors, ""] : []),
  ];
}

function burstTable(c: Comparison): string[] {
  const { cairn, cloudflare } = c.burst.results;
  const failed = (r: typeof cairn) => (r.errors ? `${r.errors} (${r.firstError})` : "0");
  return [
    `### Open-loop burst: ${count(c.burst.runs)} ${c.burst.steps}-step runs fired at once (one engine, then the other)`,
    "",
    "| metric | Cairn | Cloudflare Workflows (local) | Cairn's advantage |",
    "| --- | --- | --- | --- |",
    `| all finished (first request → last answer) | ${ms(cairn.allFinishedMs)} ms | ${ms(cloudflare.allFinishedMs)} ms | ${lower(cairn.allFinishedMs, cloudflare.allFinishedMs)} |`,
    `| each run, request → finished, p50 / p99 / max | ${triple(cairn.latencyMs)} | ${triple(cloudflare.latencyMs)} | ${lower(cairn.latencyMs.p50, cloudflare.latencyMs.p50)} |`,
    `| fairness: slowest run ÷ fastest run (1 is even) | ${cairn.maxMinRatio} | ${cloudflare.maxMinRatio} | ${lower(cairn.maxMinRatio, cloudflare.maxMinRatio)} |`,
    `| failed runs | ${failed(cairn)} | ${failed(cloudflare)} | |`,
    "",
  ];
}

function timersTable(c: Comparison): string[] {
  return [
    "### Timer lateness (N runs sleeping at once; actual wake − requested wake, server clock)",
    "",
    "| sleeping | sleep | Cairn p50 / p99 / max | Cairn early | Cloudflare p50 / p99 / max | Cloudflare early | all started within (Cairn / CF) | Cairn's advantage (p50) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...c.timers.map(
      ({ sleeping, sleepMs, results: { cairn, cloudflare } }) =>
        `| ${count(sleeping)} | ${sleepMs / 1000} s | ${triple(cairn.latenessMs)} | ${cairn.early} | ${triple(cloudflare.latenessMs)} | ${cloudflare.early} | ${ms(cairn.startSpanMs)} / ${ms(cloudflare.startSpanMs)} ms | ${lower(cairn.latenessMs.p50, cloudflare.latenessMs.p50)} |`,
    ),
    "",
    "Cairn: `sleep_completed.at − sleep_started.wakeAt`. Cloudflare: a step before the sleep and one after it return `Date.now()`;",
    "lateness = after − before − sleep, so it also holds one step's record and the next step's start. Each run is measured against",
    "its own requested wake time.",
    "",
  ];
}

function hooksTable(c: Comparison): string[] {
  return [
    "### Hook / event resume latency (a sample resumed one at a time while the rest keep waiting)",
    "",
    "| waiting | resumed | Cairn p50 / p99 / max | Cloudflare p50 / p99 / max | time to get all waiting (Cairn / CF) | Cairn's advantage (p50) |",
    "| --- | --- | --- | --- | --- | --- |",
    ...c.hooks.map(
      ({ waiting, sample, results: { cairn, cloudflare } }) =>
        `| ${count(waiting)} | ${sample} | ${triple(cairn.latencyMs)} | ${triple(cloudflare.latencyMs)} | ${ms(cairn.setupMs)} / ${ms(cloudflare.setupMs)} ms | ${lower(cairn.latencyMs.p50, cloudflare.latencyMs.p50)} |`,
    ),
    "",
    "From the client's `Date.now()` before the resume request to the run's finish on the server clock: Cairn `POST /hooks/:token`",
    "to the run's `finishedAt`; Cloudflare `sendEvent` to `Date.now()` as the run returns after `waitForEvent` (the engine records",
    "`complete` just after, so this favours Cloudflare by that write).",
    "",
  ];
}

/** The detailed side-by-side tables, after the summary table. */
export function sideBySideTables(c: Comparison): string[] {
  const legend = [
    "In the tables below, Cairn's advantage is Cloudflare's figure over Cairn's for times and Cairn's over Cloudflare's for",
    "rates: above 1× Cairn is ahead, below 1× Cloudflare Workflows is.",
    "",
  ];
  return [...legend, ...runStartTable(c), ...closedLoopTable(c), ...burstTable(c), ...timersTable(c), ...hooksTable(c)];
}

const verdict = (ok: boolean) => (ok ? "met" : "**missed**");

/** Targets rows measured by the side-by-side bench (Cairn's figures). */
export function sideBySideTargets(c: Comparison): string[] {
  const rows: string[] = [];
  for (const [sleeping, limit] of [
    [10, 20],
    [100, 100],
  ] as const) {
    const timers = c.timers.find((t) => t.sleeping === sleeping)?.results.cairn;
    const target = `timer lateness p50 ≤ ${limit} ms with ${sleeping} timers; none early`;
    rows.push(
      timers
        ? `| ${target} | p50 ${ms(timers.latenessMs.p50)} ms, p99 ${ms(timers.latenessMs.p99)} ms, early ${timers.early} | ${verdict(timers.latenessMs.p50 <= limit && timers.early === 0)} |`
        : `| ${target} | not measured at this size | n/a |`,
    );
  }
  for (const [waiting, limit] of [
    [10, 10],
    [100, 50],
  ] as const) {
    const hooks = c.hooks.find((h) => h.waiting === waiting)?.results.cairn;
    const target = `hook resume p50 ≤ ${limit} ms with ${waiting} waiting`;
    rows.push(
      hooks
        ? `| ${target} | p50 ${ms(hooks.latencyMs.p50)} ms, p99 ${ms(hooks.latencyMs.p99)} ms | ${verdict(hooks.latencyMs.p50 <= limit)} |`
        : `| ${target} | not measured at this size | n/a |`,
    );
  }
  const tenStep = c.closedLoop.filter((cell) => cell.steps === 10);
  const best = tenStep.reduce((a, b) => (b.results.cairn.stepsPerSecond > a.results.cairn.stepsPerSecond ? b : a));
  const levels = tenStep.map((cell) => cell.inFlight).join(", ");
  const steps = best.results.cairn.stepsPerSecond;
  rows.push(
    `| ≥ 5,000 steps/s with 10-step runs on this 2-core box (best of ${levels} in flight) | ${steps} steps/s at ${best.inFlight} in flight | ${verdict(steps >= 5000)} |`,
  );
  return rows;
}
