// Pausing and resuming a workflow across the history shards that hold its pause flag: a pause is
// written to every shard (shard 0 last), a resume clears shard 0 first, so shard 0 paused means
// every shard is; the runs each shard held back are then started in the order they were accepted.
import { type Env, historyShards } from "../env.ts";
import { LEGACY_HISTORY_SHARD } from "../history/shards.ts";
import type { PauseState } from "./pause-store.ts";

/** The shards that hold a pause flag (not the legacy history object, which no run asks). */
function pauseShards(env: Env) {
  return historyShards(env).filter((s) => s.name !== LEGACY_HISTORY_SHARD);
}

/** Pauses `workflow` in every shard; answers with the pause as shard 0 records it. */
export async function pauseWorkflow(env: Env, workflow: string, by?: string, reason?: string): Promise<PauseState> {
  const [first, ...rest] = pauseShards(env);
  const at = Date.now();
  await Promise.all(rest.map((s) => s.stub.pauseWorkflow(workflow, at, by, reason)));
  return first!.stub.pauseWorkflow(workflow, at, by, reason);
}

/**
 * Resumes `workflow` in every shard and wakes the runs held back, oldest accepted first, one
 * after the other (each wake-up is armed before the next run's). Returns how many were released.
 */
export async function resumeWorkflow(env: Env, workflow: string, by?: string, reason?: string): Promise<number> {
  const [first, ...rest] = pauseShards(env);
  const at = Date.now();
  const held = [await first!.stub.resumeWorkflow(workflow, at, by, reason)];
  held.push(...(await Promise.all(rest.map((s) => s.stub.resumeWorkflow(workflow, at, by, reason)))));
  const runs = held.flat().sort((a, b) => a.acceptedAt - b.acceptedAt || (a.runId < b.runId ? -1 : 1));
  for (const [index, { runId }] of runs.entries()) {
    // A run missed here (an error, or this isolate dying) asks its shard again on its own recheck timer.
    await env.RUNS.get(env.RUNS.idFromName(runId))
      .flow({ op: "wake", released: { position: index + 1, ...(by ? { by } : {}) } })
      .catch(() => undefined);
  }
  return runs.length;
}

/** Paused workflows by slug, as shard 0 (paused last, resumed first) records them. */
export async function pausedWorkflows(env: Env): Promise<Map<string, PauseState>> {
  const [first] = pauseShards(env);
  const states = await first!.stub.pausedWorkflows();
  return new Map(states.map((s) => [s.workflow, s]));
}

/** How a workflow listing shows its pause: `paused`, and when, why and by whom when it is. */
export function pauseFields(state: PauseState | undefined) {
  if (!state) return { paused: false };
  return {
    paused: true,
    pausedAt: new Date(state.pausedAt).toISOString(),
    ...(state.reason ? { pauseReason: state.reason } : {}),
    ...(state.by ? { pausedBy: state.by } : {}),
  };
}
