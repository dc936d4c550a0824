// POST /runs/:runId/retry, /rerun and /cancel: operating on a run, each recorded in a run's log
// (the new run's trigger names the run it came from; a retried run keeps a `run_retried` record).
import { Hono } from "hono";
import { z } from "zod";
import type { RunView } from "../../run/run-view.ts";
import type { Result } from "../../run/result.ts";
import type { RetrySource } from "../../run/run-retry.ts";
import type { StartResult } from "../../run/start-request.ts";
import { isRunId } from "../../run/ids.ts";
import { runStub, startRun } from "../../run/start-run.ts";
import { type AppEnv, serviceUrl } from "../base-path.ts";
import { readJson } from "../body.ts";
import { ApiError, unwrap } from "../errors.ts";
import { findWorkflow } from "./workflows.ts";

/** Longest reason a cancel or retry keeps in the log. */
const MAX_REASON_CHARS = 1_000;
const reason = z.string().max(MAX_REASON_CHARS).optional();

const RetryBody = z.strictObject({ fromStep: z.string().min(1).optional(), reason });
const RerunBody = z.strictObject({ input: z.unknown().optional() });
const CancelBody = z.strictObject({ reason });

/** The body parsed with `schema`; an empty body is `{}`; a wrong one is 400 `invalid_input` with its issues. */
async function body<T>(c: Parameters<typeof readJson>[0], schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse((await readJson(c)) ?? {});
  if (!parsed.success)
    throw new ApiError("invalid_input", "the request body does not match this operation", {
      issues: parsed.error.issues,
    });
  return parsed.data;
}

/** Run ids have one shape; anything else is a 404 without waking a Durable Object. */
function stubFor(env: AppEnv["Bindings"], runId: string) {
  if (!isRunId(runId)) throw new ApiError("run_not_found", `no run with id "${runId}"`);
  return runStub(env, runId);
}

export const runOperationRoutes = new Hono<AppEnv>()
  .post("/:runId/retry", async (c) => {
    const runId = c.req.param("runId");
    const { fromStep, reason } = await body(c, RetryBody);
    const old = stubFor(c.env, runId);
    // A blocked run is live: it is re-driven in place (same run id), replaying with the code now
    // deployed (decision 0018). Any other live run is 409 below.
    const inPlace = (await old.redriveBlocked()) as Result<{ runId: string; status: string }>;
    if (inPlace.ok) return c.json(inPlace.value, 202);
    if (inPlace.error.code !== "run_not_blocked") unwrap(inPlace);
    const source = unwrap<RetrySource>(await old.retrySource(fromStep));
    const started = await startRun(c.env, findWorkflow(source.workflow), source.input, {
      trigger: { type: "retry", retryOf: runId },
      origin: serviceUrl(c),
      seed: source.seed,
    });
    const { runId: newRunId, status } = unwrap<StartResult>(started);
    // After the start: a retry cut off here leaves a new run that names its origin, never a
    // finished run pointing at a run that does not exist.
    unwrap(await old.markRetriedBy(newRunId, reason));
    return c.json({ runId: newRunId, status }, 202);
  })
  .post("/:runId/rerun", async (c) => {
    const runId = c.req.param("runId");
    const edit = await body(c, RerunBody);
    const old = unwrap<RunView>(await stubFor(c.env, runId).get({ showTokens: false }));
    const started = await startRun(c.env, findWorkflow(old.workflow), edit.input ?? old.input, {
      trigger: { type: "api", rerunOf: runId },
      origin: serviceUrl(c),
    });
    const { runId: newRunId, status } = unwrap<StartResult>(started);
    return c.json({ runId: newRunId, status }, 202);
  })
  .post("/:runId/cancel", async (c) => {
    const { reason } = await body(c, CancelBody);
    return c.json(unwrap(await stubFor(c.env, c.req.param("runId")).cancel(reason)));
  });
