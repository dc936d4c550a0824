// What the runs list reads: its filters from the query string (they all combine), one page of the
// history after a cursor, the counts per status (without the status filter, so every chip keeps
// its number), and the search by an input field, which reads each candidate run's input.
import { isRunStatus } from "../../../sdk/engine/run-status.ts";
import type { Env } from "../../env.ts";
import { encodeCursor } from "../../history/cursor.ts";
import type { ListedRun } from "../../history/index-object.ts";
import { listRuns } from "../../history/list-runs.ts";
import { runStub } from "../../run/start-run.ts";
import type { UiContext } from "./security.ts";

/** Runs per page of the list. */
export const RUNS_PAGE = 50;
/** Most runs one input-field search reads before it answers (with a cursor to read on). */
const INPUT_SCAN_LIMIT = 300;
/** Run objects read at once by an input-field search. */
const INPUT_SCAN_BATCH = 25;

/** The time windows the filter offers, by their query value. */
export const WINDOWS: Record<string, { label: string; ms: number }> = {
  "15m": { label: "last 15 minutes", ms: 15 * 60_000 },
  "1h": { label: "last hour", ms: 3_600_000 },
  "24h": { label: "last 24 hours", ms: 86_400_000 },
  "7d": { label: "last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "last 30 days", ms: 30 * 86_400_000 },
};

export interface RunsFilter {
  workflow?: string;
  status?: string;
  trigger?: string;
  window?: string;
  /** Run id prefix. */
  q?: string;
  /** `path=value` on the run's input (`customer.email=ada@example.com`). */
  input?: string;
}

export function filterFromQuery(c: UiContext): RunsFilter {
  const get = (name: string) => c.req.query(name)?.trim() || undefined;
  const status = get("status");
  const window = get("window");
  return {
    workflow: get("workflow"),
    status: status && isRunStatus(status) ? status : undefined,
    trigger: get("trigger"),
    window: window && window in WINDOWS ? window : undefined,
    q: get("q"),
    input: get("input"),
  };
}

/** The filter as a query string (for links that change one part and keep the rest). */
export function filterQuery(filter: RunsFilter, change: Partial<RunsFilter> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...change })) if (value) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function historyQuery(filter: RunsFilter) {
  return {
    workflow: filter.workflow,
    status: filter.status,
    trigger: filter.trigger,
    since: filter.window ? Date.now() - WINDOWS[filter.window]!.ms : undefined,
    search: filter.q,
  };
}

/** The value at a dotted path of an input, as text (`items.0.sku`). */
function valueAt(input: unknown, path: string): string | undefined {
  let value: unknown = input;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value === undefined ? undefined : typeof value === "string" ? value : JSON.stringify(value);
}

/** Reads runs after `cursor` until `limit` match `path=value` or the scan limit is reached. */
async function searchInputs(env: Env, filter: RunsFilter, cursor: string | undefined, limit: number) {
  const [path, ...rest] = (filter.input ?? "").split("=");
  const wanted = rest.join("=").trim();
  const runs: ListedRun[] = [];
  let scanned = 0;
  let next = cursor;
  while (runs.length < limit && scanned < INPUT_SCAN_LIMIT) {
    const page = await listRuns(env, { ...historyQuery(filter), cursor: next, limit: INPUT_SCAN_BATCH });
    const inputs = await Promise.all(
      page.runs.map(async (run) => {
        const got = (await runStub(env, run.runId).get({ showTokens: false, steps: { limit: 1 } })) as {
          value?: { input?: unknown };
        };
        return got.value?.input;
      }),
    );
    for (const [i, run] of page.runs.entries()) {
      scanned++;
      next = encodeCursor(Date.parse(run.createdAt), run.runId);
      const value = valueAt(inputs[i], path!.trim());
      if (value !== undefined && (wanted === "" || value === wanted || value.includes(wanted))) runs.push(run);
      if (runs.length === limit) break;
    }
    if (!page.next && runs.length < limit) return { runs, next: undefined, scanned };
  }
  return { runs, next, scanned };
}

export interface RunsPageData {
  runs: ListedRun[];
  next?: string;
  counts: Record<string, number>;
  /** Runs an input search read for this page. */
  scanned?: number;
}

/** One page of runs for `filter` after `cursor`, and the counts per status. */
export async function loadRuns(
  env: Env,
  filter: RunsFilter,
  cursor?: string,
  limit = RUNS_PAGE,
): Promise<RunsPageData> {
  const countsQuery = listRuns(env, { ...historyQuery({ ...filter, status: undefined }), limit: 1 });
  if (filter.input) {
    const [found, counted] = await Promise.all([searchInputs(env, filter, cursor, limit), countsQuery]);
    return { runs: found.runs, next: found.next, counts: counted.counts, scanned: found.scanned };
  }
  const [page, counted] = await Promise.all([listRuns(env, { ...historyQuery(filter), cursor, limit }), countsQuery]);
  return { runs: page.runs, ...(page.next ? { next: page.next } : {}), counts: counted.counts };
}
