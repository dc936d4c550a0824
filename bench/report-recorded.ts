// The Load and Fan-out sections of BENCHMARKS.md: too long for `npm run bench`, so bench:load and
// bench:fan-out record their results (--record) in bench/results/*.json, with hand-written notes
// in bench/results/*.md, and every regeneration of BENCHMARKS.md renders them again.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import type { MemoryPoint } from "./peer/memory.ts";

const RESULTS = new URL("./results/", import.meta.url);

export interface LoadRecord {
  runs: number;
  ok: boolean;
  /** Why the run did not complete, when it did not. */
  failure?: string;
  distinctRunIds?: number;
  statuses?: Record<string, number>;
  historySuccess?: number;
  serverErrorsWhileWaiting?: number;
  totalSeconds?: number;
  runsPerSecond?: number;
  memoryMiB?: { before: number; peak: number; afterIdle: number };
}

export interface FanOutRecord {
  subscriptions: number;
  fannedOut: number;
  allInHistorySeconds: number | null;
  allFinishedSeconds: number | null;
}

const file = (name: string) => new URL(name, RESULTS);

export function readRecords<T>(name: string): T[] {
  const path = file(name);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { results: T[] }).results : [];
}

/** Replaces the record with the same `key` value (or adds it), sorted by it. */
export function recordResult<T extends object>(name: string, key: keyof T, result: T): void {
  const path = file(name);
  const stored = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : { results: [] };
  const results = (stored.results as T[]).filter((r) => r[key] !== result[key]);
  results.push(result);
  results.sort((a, b) =>
    typeof a[key] === "number" ? Number(a[key]) - Number(b[key]) : String(a[key]).localeCompare(String(b[key])),
  );
  writeFileSync(path, `${JSON.stringify({ ...stored, results }, null, 2)}\n`);
}

const notes = (name: string) => (existsSync(file(name)) ? readFileSync(file(name), "utf8").trim().split("\n") : []);
const n = (x: number | undefined) => (x === undefined ? "" : x.toLocaleString("en"));

/** A recorded section: heading, optional intro, a table, then the hand-written notes file's lines. */
function recordedTable(
  heading: string,
  columns: string[],
  rows: string[],
  notesFile: string,
  intro: string[] = [],
): string[] {
  return [
    `## ${heading}`,
    "",
    ...(intro.length ? [...intro, ""] : []),
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...rows,
    "",
    ...notes(notesFile),
    "",
  ];
}

function loadRow(r: LoadRecord): string {
  if (!r.ok && r.failure) return `| ${n(r.runs)} | **no**: ${r.failure} | | | | | | |`;
  const m = r.memoryMiB;
  const cells = [
    n(r.runs),
    r.ok ? "yes" : "**no**",
    n(r.distinctRunIds),
    n(r.historySuccess),
    `${n(r.serverErrorsWhileWaiting)}${r.serverErrorsWhileWaiting ? " (retried)" : ""}`,
    `${r.totalSeconds?.toFixed(1)} s`,
    String(r.runsPerSecond),
    m ? `${n(m.before)} / ${n(m.peak)} / ${n(m.afterIdle)} MiB` : "",
  ];
  return `| ${cells.join(" | ")} |`;
}

const seconds = (x: number | null) => (x === null ? "did not finish" : `${x.toFixed(1)} s`);

export interface FloorRecord {
  case: string;
  inFlight: number;
  perSecond: number;
}

/** What a bare Durable Object per request costs on this box: the ceiling under run-per-object engines. */
function floorSection(): string[] {
  const floor = readRecords<FloorRecord>("floor.json");
  if (floor.length === 0) return [];
  return recordedTable(
    "Throughput ceiling: a bare Durable Object per request (`npm run bench:floor -- --record`)",
    ["case", "in flight", "requests/s"],
    floor.map((r) => `| ${r.case} | ${r.inFlight} | ${n(r.perSecond)} |`),
    "floor.md",
  );
}

export interface ParkedRecord {
  key: string;
  engine: "cairn" | "cloudflare";
  runs: number;
  staggerMs: number;
  point?: MemoryPoint;
  failure?: string;
}

const ENGINE_NAMES = { cairn: "Cairn", cloudflare: "Cloudflare Workflows" };

/** Memory per parked run at 10,000 (bench:parked), too long for the default suite. */
function parkedSection(): string[] {
  const parked = readRecords<ParkedRecord>("parked.json");
  if (parked.length === 0) return [];
  const row = ({ engine, runs, point: p, failure }: ParkedRecord) =>
    p
      ? `| ${ENGINE_NAMES[engine]} | ${n(runs)} | ${p.beforeMiB} MiB | ${p.parkedMiB} MiB | **${p.perRunMiB} MiB** | ${n(p.openObjects)} | ${n(p.stillParked)} | ${p.afterMiB} MiB | ${p.startSeconds} s | ${p.perRunMiB < 0.2 ? "met" : "**missed**"} |`
      : `| ${ENGINE_NAMES[engine]} | ${n(runs)} | **failed**: ${failure} | | | | | | | |`;
  return recordedTable(
    "Memory per parked run at 10,000 (`npm run bench:parked -- --record`)",
    [
      "engine",
      "runs",
      "before",
      "parked",
      "per parked run",
      "open",
      "still sleeping",
      "after finished",
      "time to start all",
      "< 0.2 MiB",
    ],
    parked.map(row),
    "parked.md",
  );
}

/**
 * Sections a bench script writes whole (contention, cost, flow control): kept as Markdown in
 * bench/results/sections/, in file-name order, so a regeneration renders them again.
 */
function keptSections(): string[] {
  const dir = new URL("sections/", RESULTS);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .flatMap((name) => [...readFileSync(new URL(name, dir), "utf8").trimEnd().split("\n"), ""]);
}

/** Writes a kept section (see keptSections) and puts it in BENCHMARKS.md in place of its old text. */
export function writeKeptSection(file: string, lines: string[]): void {
  const body = `${lines.join("\n").trimEnd()}\n`;
  writeFileSync(new URL(`sections/${file}`, RESULTS), body);
  const path = new URL("../../BENCHMARKS.md", RESULTS);
  const text = existsSync(path) ? readFileSync(path, "utf8") : "# Cairn benchmarks\n";
  const heading = lines[0] ?? "";
  const start = text.indexOf(`\n${heading}`);
  if (start < 0) {
    writeFileSync(path, `${text.trimEnd()}\n\n${body}`);
    return;
  }
  const next = text.indexOf("\n## ", start + 1);
  writeFileSync(path, `${text.slice(0, start + 1)}${body}${next < 0 ? "" : `\n${text.slice(next + 1)}`}`);
}

export function recordedSections(): string[] {
  const load = readRecords<LoadRecord>("load.json");
  const fanOut = readRecords<FanOutRecord>("fan-out.json");
  return [
    ...floorSection(),
    ...parkedSection(),
    ...recordedTable(
      "Load (`npm run bench:load -- --runs N`, greeting runs, 100 in flight, wrangler dev)",
      [
        "runs",
        "all succeeded",
        "distinct ids",
        "history count",
        "5xx while waiting",
        "time",
        "runs/s",
        "workerd RSS before / peak / idle after",
      ],
      load.map(loadRow),
      "load.md",
    ),
    ...recordedTable(
      "Fan-out (`npm run bench:fan-out -- --subscriptions N`)",
      ["subscriptions", "all runs in history", "all runs finished"],
      fanOut.map(
        (r) => `| ${n(r.subscriptions)} | ${seconds(r.allInHistorySeconds)} | ${seconds(r.allFinishedSeconds)} |`,
      ),
      "fan-out.md",
      [
        "One invocation of the `daily-digest-cron` trigger fanned out through the Queue to N subscriptions of the",
        "subscribable `daily-digest` workflow; time from the trigger to every run in the history, and to every run",
        "finished.",
      ],
    ),
    ...keptSections(),
  ];
}
