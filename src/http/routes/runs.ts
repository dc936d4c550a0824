// GET /runs, GET /runs/:runId, GET /runs/:runId/events (operations: run-operations.ts).
import { Hono } from "hono";
import { isRunStatus, RUN_STATUSES } from "../../../sdk/engine/run-status.ts";
import type { Env } from "../../env.ts";
import { listRuns } from "../../history/list-runs.ts";
import { DEFAULT_STEPS_PAGE_SIZE, MAX_STEPS_PAGE_SIZE } from "../../limits.ts";
import { isRunId } from "../../run/ids.ts";
import { runStub } from "../../run/start-run.ts";
import { ApiError, unwrap } from "../errors.ts";
import { pageSize, waitSeconds } from "../query.ts";
import { followEvents } from "../live-events.ts";

/** `?since=`/`?until=` as an ISO date or epoch milliseconds. */
function timeQuery(raw: string | undefined, name: string): number | undefined {
  if (!raw) return undefined;
  const at = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(at)) throw new ApiError("invalid_query", `${name} must be an ISO date or epoch milliseconds`);
  return at;
}

/** `?steps_limit=` (1 to the largest step page) and `?steps_after=<step id>`: one page of a run's steps. */
function stepsPage(limit: string | undefined, after: string | undefined) {
  const n = limit === undefined ? DEFAULT_STEPS_PAGE_SIZE : Number(limit);
  if (!Number.isInteger(n) || n < 1)
    throw new ApiError("invalid_query", `steps_limit must be a whole number from 1 to ${MAX_STEPS_PAGE_SIZE}`);
  return { limit: Math.min(n, MAX_STEPS_PAGE_SIZE), ...(after ? { after } : {}) };
}

/** Run ids have one shape; anything else is a 404 without waking a Durable Object. */
function stubFor(env: Env, runId: string) {
  if (!isRunId(runId)) throw new ApiError("run_not_found", `no run with id "${runId}"`);
  return runStub(env, runId);
}

export const runRoutes = new Hono<{ Bindings: Env }>()
  .get("/", async (c) => {
    const status = c.req.query("status");
    if (status && !isRunStatus(status))
      throw new ApiError("invalid_query", `status must be one of ${RUN_STATUSES.join(", ")}`);
    return c.json(
      await listRuns(c.env, {
        workflow: c.req.query("workflow") || undefined,
        status: status || undefined,
        trigger: c.req.query("trigger") || undefined,
        version: c.req.query("version") || undefined,
        since: timeQuery(c.req.query("since"), "since"),
        until: timeQuery(c.req.query("until"), "until"),
        search: c.req.query("q") || undefined,
        cursor: c.req.query("cursor") || undefined,
        limit: pageSize(c.req.query("limit")),
      }),
    );
  })
  .get("/:runId", async (c) => {
    const stub = stubFor(c.env, c.req.param("runId"));
    // ?wait=<s> holds the request until the run finishes (or the time is up), like POST ?wait.
    const wait = waitSeconds(c.req.query("wait"));
    const includeTrace = (c.req.query("include") ?? "").split(",").includes("trace");
    const steps = stepsPage(c.req.query("steps_limit"), c.req.query("steps_after"));
    if (wait === undefined) return c.json(unwrap(await stub.get({ showTokens: true, includeTrace, steps })));
    return c.json(unwrap(await stub.waitFor(wait * 1000, true, undefined, { includeTrace, steps })));
  })
  .get("/:runId/events", async (c) => {
    // Last-Event-ID first: an EventSource reconnecting keeps its URL's `?after=` and sends this.
    const after = Number(c.req.header("last-event-id") ?? c.req.query("after") ?? "0");
    if (!Number.isInteger(after) || after < 0)
      throw new ApiError("invalid_query", "after must be a sequence number (0 or more)");
    const stub = stubFor(c.env, c.req.param("runId"));
    const first = unwrap<{ events: { seq: number }[]; next?: number }>(
      await stub.events(after, pageSize(c.req.query("limit"))),
    );
    if (c.req.query("follow") === undefined) return c.json(first);
    return followEvents(c, stub, after);
  });
