// What a bulk job does to one run: cancel it, retry it or rerun it, each idempotent per job, so a
// batch redone after a crash acts on no run twice (decision 0021).
import type { Env } from "../env.ts";
import { registry } from "../run/registry.ts";
import type { Result } from "../run/result.ts";
import type { RetrySource } from "../run/run-retry.ts";
import type { RunView } from "../run/run-view.ts";
import type { StartResult } from "../run/start-request.ts";
import { runStub, startRun } from "../run/start-run.ts";
import { type BulkJob, type BulkOutcome, bulkActor } from "./bulk-job.ts";

/** Answers that mean "nothing to do for this run" rather than a failure. */
const NOTHING_TO_DO = new Set(["run_finished", "run_not_retryable", "run_not_found"]);

type Job = Pick<BulkJob, "bulkId" | "action" | "reason" | "origin">;

/** A run object's coded answer as an outcome; RPC stubs rewrite the Result union, hence the cast. */
function outcomeOf<T>(result: unknown): { value: T } | BulkOutcome {
  const r = result as Result<T>;
  if (r.ok) return { value: r.value };
  if (NOTHING_TO_DO.has(r.error.code)) return { kind: "skipped" };
  return { kind: "failed", code: r.error.code, message: r.error.message };
}

/** The idempotency key of the run a job starts from `runId`: a repeated start finds that run. */
const startKey = (job: Job, runId: string) => `${bulkActor(job.bulkId)}:${runId}`;

/**
 * Cancels a live run with the job's reason, recorded `by: "bulk:<id>"`; a finished run is skipped.
 * The same job canceling it again (a batch redone) finds its own cancel and counts it done.
 */
async function cancel(env: Env, job: Job, runId: string): Promise<BulkOutcome> {
  const result = outcomeOf(await runStub(env, runId).cancel(job.reason, bulkActor(job.bulkId)));
  return "value" in result ? { kind: "done" } : result;
}

/**
 * Retries a failed or canceled run (anything else is skipped). The new run's id derives from the
 * job and the old run, and the old run records each retrier once: redone, nothing doubles.
 */
async function retry(env: Env, job: Job, runId: string): Promise<BulkOutcome> {
  const old = runStub(env, runId);
  const source = outcomeOf<RetrySource>(await old.retrySource());
  if (!("value" in source)) return source;
  const workflow = registry.workflows.get(source.value.workflow);
  if (!workflow)
    return { kind: "failed", code: "workflow_not_found", message: `workflow ${source.value.workflow} is not deployed` };
  const actor = bulkActor(job.bulkId);
  const started = outcomeOf<StartResult>(
    await startRun(env, workflow, source.value.input, {
      trigger: { type: "retry", retryOf: runId, source: actor },
      idempotencyKey: startKey(job, runId),
      origin: job.origin,
      seed: source.value.seed,
    }),
  );
  if (!("value" in started)) return started;
  const marked = outcomeOf(await old.markRetriedBy(started.value.runId, job.reason, actor));
  return "value" in marked ? { kind: "done" } : marked;
}

/** Starts the run again with its input, as a fresh run named after the job and the old run. */
async function rerun(env: Env, job: Job, runId: string): Promise<BulkOutcome> {
  const old = outcomeOf<RunView>(await runStub(env, runId).get({ showTokens: false, steps: { limit: 1 } }));
  if (!("value" in old)) return old;
  const workflow = registry.workflows.get(old.value.workflow);
  if (!workflow)
    return { kind: "failed", code: "workflow_not_found", message: `workflow ${old.value.workflow} is not deployed` };
  const started = outcomeOf<StartResult>(
    await startRun(env, workflow, old.value.input, {
      trigger: { type: "api", rerunOf: runId, source: bulkActor(job.bulkId) },
      idempotencyKey: startKey(job, runId),
      origin: job.origin,
    }),
  );
  return "value" in started ? { kind: "done" } : started;
}

const ACTIONS = { cancel, retry, rerun } as const;

/** Applies the job's action to one run; a thrown error (a run object out of reach) propagates. */
export function actOn(env: Env, job: Job, runId: string): Promise<BulkOutcome> {
  return ACTIONS[job.action](env, job, runId);
}
