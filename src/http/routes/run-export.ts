// GET /runs/:runId/export and GET /runs/export: full event logs (large values resolved) for the
// replay gate (`cairn replay`), one run or paged over the history (decision 0019).
import { Hono } from "hono";
import { FINISHED_STATUSES, isFinishedStatus, RUN_STATUSES } from "../../../sdk/engine/run-status.ts";
import type { RunEvent, RunVersion } from "../../../sdk/engine/events.ts";
import type { RunExport } from "../../../sdk/run-export.ts";
import type { Env } from "../../env.ts";
import type { ListedRun } from "../../history/index-object.ts";
import { encodeCursor } from "../../history/cursor.ts";
import { listRuns } from "../../history/list-runs.ts";
import {
  DEFAULT_EXPORT_PAGE_SIZE,
  EXPORT_CONCURRENCY,
  EXPORT_EVENTS_PER_READ,
  EXPORT_LISTINGS_PER_REQUEST,
  MAX_EXPORT_FINISHED,
  MAX_EXPORT_PAGE_BYTES,
  MAX_EXPORT_PAGE_SIZE,
} from "../../limits.ts";
import { isRunId } from "../../run/ids.ts";
import type { Result } from "../../run/result.ts";
import { runStub } from "../../run/start-run.ts";
import { ApiError } from "../errors.ts";

/** The statuses of a run that may still append to its log: what `scope=live` exports. */
const LIVE_STATUSES = RUN_STATUSES.filter((status) => !isFinishedStatus(status));

/**
 * One pass over the history the listing walks: every run with one live status, or (status
 * undefined) every run newest first, keeping finished ones only when `finishedOnly`.
 */
interface Phase {
  status?: string;
  finishedOnly?: boolean;
}

/** Where a listing stands: the phase, the history cursor inside it, finished runs taken so far. */
interface Position {
  phase: number;
  cursor?: string;
  taken: number;
}

function encodePosition(position: Position): string {
  return btoa(JSON.stringify([position.phase, position.cursor ?? "", position.taken]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function decodePosition(raw: string | undefined, phases: number): Position {
  if (!raw) return { phase: 0, taken: 0 };
  try {
    const [phase, cursor, taken] = JSON.parse(atob(raw.replaceAll("-", "+").replaceAll("_", "/"))) as unknown[];
    if (Number.isInteger(phase) && Number.isInteger(taken) && typeof cursor === "string")
      if ((phase as number) >= 0 && (phase as number) < phases && (taken as number) >= 0)
        return { phase: phase as number, ...(cursor ? { cursor } : {}), taken: taken as number };
  } catch {
    // Falls through to the coded error below.
  }
  throw new ApiError(
    "invalid_query",
    "cursor is not a cursor this listing returned (pass the same scope and finished)",
  );
}

/** `?scope=` and `?finished=` as the phases of the walk. */
function phasesOf(scope: string | undefined, finishedRaw: string | undefined): { phases: Phase[]; finished: number } {
  if (scope !== undefined && scope !== "live" && scope !== "all")
    throw new ApiError("invalid_query", "scope must be live or all");
  const finished = finishedRaw === undefined ? 0 : Number(finishedRaw);
  if (!Number.isInteger(finished) || finished < 0 || finished > MAX_EXPORT_FINISHED)
    throw new ApiError("invalid_query", `finished must be a whole number from 0 to ${MAX_EXPORT_FINISHED}`);
  if (scope === "all") {
    if (finished > 0) throw new ApiError("invalid_query", "finished applies to scope=live (scope=all has every run)");
    return { phases: [{}], finished };
  }
  const phases: Phase[] = LIVE_STATUSES.map((status) => ({ status }));
  if (finished > 0) phases.push({ finishedOnly: true });
  return { phases, finished };
}

function exportLimit(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_EXPORT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1)
    throw new ApiError("invalid_query", `limit must be a whole number from 1 to ${MAX_EXPORT_PAGE_SIZE}`);
  return Math.min(limit, MAX_EXPORT_PAGE_SIZE);
}

/** What the export takes from the run record. */
interface ExportedView {
  workflow: string;
  status: string;
  version?: RunVersion;
}

/**
 * One run's export, read from its object: the record's identity and every event, page by page
 * (the object loaded large values from R2 with the log, so outputs are whole). Undefined when
 * the run does not exist (never started, or purged since the listing saw it).
 */
export async function exportRun(env: Env, runId: string): Promise<RunExport | undefined> {
  if (!isRunId(runId)) return undefined;
  const stub = runStub(env, runId);
  // The RPC types of these results are too deep for TypeScript: their shape is run-reads.ts's.
  const record = (await stub.get({ showTokens: true, steps: { limit: 1 } })) as Result<ExportedView>;
  if (!record.ok) {
    if (record.error.code === "run_not_found") return undefined;
    throw ApiError.from(record);
  }
  const view = record.value;
  const events: RunEvent[] = [];
  for (let after: number | undefined = 0; after !== undefined; ) {
    const page = (await stub.events(after, EXPORT_EVENTS_PER_READ)) as Result<{ events: RunEvent[]; next?: number }>;
    if (!page.ok) return undefined;
    events.push(...page.value.events);
    after = page.value.next;
  }
  const run = { runId, workflow: view.workflow, status: view.status };
  return { run: view.version === undefined ? run : { ...run, version: view.version }, events };
}

/** Exports `listed` a few at a time; stops early once the page's JSON passes the byte budget. */
async function exportListed(env: Env, listed: ListedRun[], bytes: { used: number }) {
  const done: { listed: ListedRun; json?: string }[] = [];
  for (let i = 0; i < listed.length; i += EXPORT_CONCURRENCY) {
    const batch = listed.slice(i, i + EXPORT_CONCURRENCY);
    const exports = await Promise.all(batch.map((run) => exportRun(env, run.runId)));
    for (const [j, exported] of exports.entries()) {
      const json = exported && JSON.stringify(exported);
      done.push({ listed: batch[j]!, ...(json ? { json } : {}) });
      bytes.used += json?.length ?? 0;
      if (bytes.used >= MAX_EXPORT_PAGE_BYTES) return done;
    }
  }
  return done;
}

export const runExportRoutes = new Hono<{ Bindings: Env }>()
  .get("/export", async (c) => {
    const { phases, finished } = phasesOf(c.req.query("scope"), c.req.query("finished"));
    const limit = exportLimit(c.req.query("limit"));
    let position: Position | undefined = decodePosition(c.req.query("cursor"), phases.length);
    const parts: string[] = [];
    const bytes = { used: 0 };
    for (let reads = 0; position && reads < EXPORT_LISTINGS_PER_REQUEST; reads++) {
      if (parts.length >= limit || bytes.used >= MAX_EXPORT_PAGE_BYTES) break;
      const phase: Phase = phases[position.phase]!;
      const wanted = phase.finishedOnly
        ? Math.min(limit - parts.length, finished - position.taken)
        : limit - parts.length;
      const page = await listRuns(c.env, {
        ...(phase.status ? { status: phase.status } : {}),
        ...(position.cursor ? { cursor: position.cursor } : {}),
        limit: Math.max(wanted, 1),
      });
      // Finished runs of the sample: the listing's status may lag the run's, so the run's own
      // status (read with its log) decides, and a run that turns out live was exported already.
      const candidates = phase.finishedOnly
        ? page.runs.filter((run) => (FINISHED_STATUSES as readonly string[]).includes(run.status))
        : page.runs;
      const done = await exportListed(c.env, candidates.slice(0, wanted), bytes);
      let cursor: string | undefined = position.cursor;
      let taken: number = position.taken;
      for (const { listed, json } of done) {
        if (json) parts.push(json);
        if (phase.finishedOnly) taken++;
        cursor = encodeCursor(Date.parse(listed.createdAt), listed.runId);
      }
      // Runs the filter skipped still move the cursor: the page was read up to its last run.
      const allRead = done.length === candidates.length;
      const lastListed = page.runs.at(-1);
      if (allRead && lastListed) cursor = encodeCursor(Date.parse(lastListed.createdAt), lastListed.runId);
      const phaseDone: boolean =
        (allRead && page.next === undefined) || (phase.finishedOnly === true && taken >= finished);
      position = phaseDone
        ? position.phase + 1 < phases.length
          ? { phase: position.phase + 1, taken: 0 }
          : undefined
        : { phase: position.phase, ...(cursor ? { cursor } : {}), taken };
    }
    const next = position ? `,"next":${JSON.stringify(encodePosition(position))}` : "";
    return c.body(`{"runs":[${parts.join(",")}]${next}}`, 200, { "content-type": "application/json" });
  })
  .get("/:runId/export", async (c) => {
    const runId = c.req.param("runId");
    const exported = await exportRun(c.env, runId);
    if (!exported) throw new ApiError("run_not_found", `no run with id "${runId}"`);
    return c.json(exported);
  });
