// Starting a run, shared by the HTTP route and the triggers: validate, pick the run id, and
// hand the start to the run's Durable Object.
import type { NewRunEvent, TriggerInfo } from "../../sdk/engine/events.ts";
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";
import { type Env, historyIndex } from "../env.ts";
import { keyScope, newRunId, runIdForKey } from "./ids.ts";
import type { Result } from "./result.ts";
import { runVersion } from "./run-version.ts";
import type { StartResult } from "./start-request.ts";

export interface StartOptions {
  trigger: TriggerInfo;
  idempotencyKey?: string;
  origin?: string;
  subscription?: { id: string; subscriber: string };
  /** A retry's copied steps (retry-plan.ts). */
  seed?: NewRunEvent[];
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Validates `input` against the workflow and starts (or finds, by idempotency key) its run. */
export async function startRun(
  env: Env,
  workflow: WorkflowDefinition,
  input: unknown,
  options: StartOptions,
): Promise<Result<StartResult>> {
  const parsed = workflow.input.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: "invalid_input",
        message: `input does not match the ${workflow.slug} input schema`,
        details: { issues: parsed.error.issues },
      },
    };
  }
  // Only API starts are typed `api`; every trigger start (webhook, cron, poll, their fan-out) is
  // keyed by its delivery, in a namespace of its own (decision 0013).
  const namespace = options.trigger.type === "api" ? "api" : "trigger";
  const runId = options.idempotencyKey
    ? await runIdForKey(keyScope(workflow.slug, namespace), options.idempotencyKey)
    : newRunId();
  const stub = env.RUNS.get(env.RUNS.idFromName(runId));
  const result = (await stub.start({
    runId,
    workflow: workflow.slug,
    input: input ?? {},
    inputHash: await sha256(JSON.stringify(input ?? {})),
    trigger: options.trigger,
    origin: options.origin,
    idempotencyKey: options.idempotencyKey,
    subscription: options.subscription,
    seed: options.seed,
    version: runVersion(env, workflow.slug),
  })) as Result<StartResult>;
  // In the history from the start, so the stall sweep can find a run whose first pass never
  // succeeds. Best effort: the run pushes its entry again after each pass.
  const history = result.ok ? result.value.history : undefined;
  if (history)
    await historyIndex(env, history.summary.runId)
      .upsert(history.summary, history.version)
      .catch(() => undefined);
  return result;
}

/** The run's Durable Object stub. */
export function runStub(env: Env, runId: string) {
  return env.RUNS.get(env.RUNS.idFromName(runId));
}
