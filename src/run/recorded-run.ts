// Runs that finished before they were stored: a workflow an agent ran inline as its tool is
// recorded afterwards as a run of its own (start and end in one transaction), named by the
// parent run and step that called it so a replay of that step finds it instead of adding one.
import { runStartedEvent } from "./start-request.ts";
import type { TriggerInfo } from "../../sdk/engine/events.ts";
import type { ToolRunOutcome, ToolRunRecord } from "../../sdk/tool-runs.ts";
import { type Env, historyIndex } from "../env.ts";
import { INDEX_RETRY_DELAY_MS } from "../limits.ts";
import { newRunId, runIdForKey } from "./ids.ts";
import { fail, type Result } from "./result.ts";
import type { RunStore } from "./run-store.ts";
import { type RunSummary, summaryOf } from "./run-view.ts";

export interface RecordRequest {
  runId: string;
  workflow: string;
  input: unknown;
  trigger: TriggerInfo;
  outcome: ToolRunOutcome;
}

export interface RecordResult {
  runId: string;
  /** The stored outcome: the first record's when the run already existed. */
  outcome: ToolRunOutcome;
  created: boolean;
  /** For a new run: its history entry and version, for the caller to record at once. */
  history?: { summary: RunSummary; version: number };
}

/** The RunObject's side: stores the finished run unless this id holds one already. */
export async function recordFinishedRun(store: RunStore, request: RecordRequest): Promise<Result<RecordResult>> {
  const inputHash = await sha256(JSON.stringify(request.input ?? {}));
  // Check and write in one segment: two records of one id cannot both find it free.
  const result = await store.atomically((log): Result<RecordResult> => {
    const existing = store.row();
    if (existing) {
      const end = log.events.findLast((e) => e.type === "run_completed" || e.type === "run_failed");
      const runId = existing.id;
      if (end?.type === "run_completed")
        return { ok: true, value: { runId, outcome: { status: "completed", output: end.output }, created: false } };
      if (end?.type === "run_failed")
        return { ok: true, value: { runId, outcome: { status: "failed", error: end.error }, created: false } };
      return fail("run_exists", `run ${runId} exists and is not a finished tool run`);
    }
    const now = Date.now();
    const { outcome } = request;
    store.transaction(() => {
      store.rows.insert({ ...request, inputHash }, now);
      store.rows.setStatus("running", null, now);
      log.append(runStartedEvent(request, now));
      log.append(
        outcome.status === "completed"
          ? { type: "run_completed", output: outcome.output }
          : { type: "run_failed", error: outcome.error },
      );
      // Should the caller's history push fail, this alarm pushes it (and sets the retention timer).
      store.timers.set("index", "index", now + INDEX_RETRY_DELAY_MS);
    });
    const history = { summary: summaryOf(store.row()!), version: store.rows.indexVersion() };
    return { ok: true, value: { runId: request.runId, outcome, created: true, history } };
  });
  if (result.ok && result.value.created) await store.timers.rearm();
  return result;
}

/** The Worker's tool-run recorder: the run's id derives from its parent step, then its RunObject stores it. */
export async function recordToolRun(env: Env, run: ToolRunRecord): Promise<{ runId: string; outcome: ToolRunOutcome }> {
  const runId = run.parent
    ? await runIdForKey(run.workflow, `tool:${run.parent.runId}/${run.parent.stepId}`)
    : newRunId();
  const trigger: TriggerInfo = {
    type: "tool",
    source: run.agent,
    ...(run.parent ? { parentRunId: run.parent.runId, parentStepId: run.parent.stepId } : {}),
  };
  const stub = env.RUNS.get(env.RUNS.idFromName(runId));
  const result = (await stub.record({
    runId,
    workflow: run.workflow,
    input: run.input,
    trigger,
    outcome: run.outcome,
  })) as Result<RecordResult>;
  if (!result.ok) throw new Error(result.error.message);
  const history = result.value.history;
  // Best effort: the run's alarm pushes it again if this fails.
  if (history)
    await historyIndex(env, history.summary.runId)
      .upsert(history.summary, history.version)
      .catch(() => undefined);
  return { runId, outcome: result.value.outcome };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
