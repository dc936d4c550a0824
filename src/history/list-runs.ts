// Listing the run history across its shards: each shard returns its newest page after the
// cursor, and a k-way merge by (createdAt desc, runId desc) keeps the global newest page.
import type { Env } from "../env.ts";
import { historyShards } from "../env.ts";
import type { ListRunsQuery, ListedRun, RunsPage } from "./index-object.ts";
import { encodeCursor } from "./cursor.ts";

/** Orders newest first, then by run id descending: the order of every shard's SQL index. */
function newerFirst(a: ListedRun, b: ListedRun): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0) return byTime;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}

/**
 * Merges shard pages into one page of `limit` runs. Correct because every shard returned its own
 * `limit` newest runs after the cursor: the global newest `limit` are among them. A run found in
 * two objects (a legacy entry not yet drained beside its shard's) keeps its latest update.
 */
export function mergePages(pages: readonly RunsPage[], limit: number): RunsPage {
  const all = pages.flatMap((page) => page.runs).sort(newerFirst);
  const runs: ListedRun[] = [];
  let truncated = false;
  for (const run of all) {
    const previous = runs.at(-1);
    if (previous?.runId === run.runId) {
      if (Date.parse(run.updatedAt) > Date.parse(previous.updatedAt)) runs[runs.length - 1] = run;
      continue;
    }
    if (runs.length === limit) {
      truncated = true;
      break;
    }
    runs.push(run);
  }
  // Exact while each run is in one object; a legacy entry not yet drained beside its shard's
  // is counted twice until the sweep moves it (decision 0015).
  const counts: Record<string, number> = {};
  for (const page of pages)
    for (const [status, n] of Object.entries(page.counts)) counts[status] = (counts[status] ?? 0) + n;
  // A shard with more than it returned holds runs older than everything it returned.
  const last = runs.at(-1);
  const next =
    (truncated || pages.some((page) => page.next)) && last
      ? encodeCursor(Date.parse(last.createdAt), last.runId)
      : undefined;
  return { runs, counts, ...(next ? { next } : {}) };
}

/** Newest first across every history shard, with a cursor that returns each run exactly once. */
export async function listRuns(env: Env, q: ListRunsQuery): Promise<RunsPage> {
  const pages = await Promise.all(historyShards(env).map(({ stub }) => stub.list(q) as Promise<RunsPage>));
  return mergePages(pages, q.limit);
}
