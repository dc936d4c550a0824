// Shared helpers for the workers-pool tests: HTTP through the real Worker entry, and run stubs.
import { env, exports } from "cloudflare:workers";
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import type { Env } from "../../src/env.ts";

export const testEnv = env as unknown as Env;

/** Sends a request through the Worker's real fetch handler. */
export function request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set("content-type", "application/json");
  return (exports as unknown as { default: Fetcher }).default.fetch(`http://cairn.test${path}`, {
    ...rest,
    headers,
    ...(json !== undefined ? { method: rest.method ?? "POST", body: JSON.stringify(json) } : {}),
  });
}

export function runStub(runId: string) {
  return testEnv.RUNS.get(testEnv.RUNS.idFromName(runId));
}

export async function startRun(slug: string, input: unknown, headers: Record<string, string> = {}) {
  const response = await request(`/workflows/${slug}`, { json: input, headers });
  const body = (await response.json()) as { runId: string; status: string };
  if (response.status !== 202 && response.status !== 200)
    throw new Error(`start failed: ${response.status} ${JSON.stringify(body)}`);
  return body.runId;
}

type RunRecord = {
  status: string;
  output?: unknown;
  error?: { name: string; message: string; code?: string; stack?: string };
  steps: { id: string; status: string; attempts: number; errors?: unknown[] }[];
  hooks: { id: string; token?: string; resumeUrl?: string }[];
  wakeAt?: string;
};

/** Waits (on the run's own notification, not by polling) until its status is one of `until`. */
export async function waitForStatus(runId: string, until: string[], timeoutMs = 5_000): Promise<RunRecord> {
  const result = (await runStub(runId).waitFor(timeoutMs, true, until)) as { ok: boolean; value?: RunRecord };
  if (!result.ok || !result.value) throw new Error(`run ${runId} not found`);
  return result.value;
}

export async function getRun(runId: string): Promise<RunRecord> {
  const response = await request(`/runs/${runId}`);
  return (await response.json()) as RunRecord;
}

/**
 * Fires the run's alarm (advancing its clock to the next timer) until its status is one of
 * `until`: the way to fast-forward sleeps and backoffs without waiting.
 */
export async function fireAlarmsUntil(runId: string, until: string[], maxAlarms = 10): Promise<RunRecord> {
  for (let i = 0; i < maxAlarms; i++) {
    const run = await getRun(runId);
    if (until.includes(run.status)) return run;
    await fireAlarmUnlessFinished(runId);
  }
  return waitForStatus(runId, until);
}

/**
 * `runDurableObjectAlarm`, except that a run which finished by itself meanwhile (its own alarm
 * drove it: a resumed hook needs no fast-forward) is left alone. A hand-fired alarm advances the
 * clock to the next timer, and on a finished run that timer is retention: firing it would delete
 * the run the test is about to read. The status is read again right before the handler starts, with
 * nothing awaited in between, so no pass can finish the run unseen.
 */
async function fireAlarmUnlessFinished(runId: string): Promise<boolean> {
  const { runInDurableObject } = await import("cloudflare:test");
  return runInDurableObject(runStub(runId), async (instance, state) => {
    const finished = () => isFinishedStatus(storedRunRow(state.storage.sql)?.status as string | undefined);
    const armed = await state.storage.getAlarm();
    if (armed === null || finished()) return false;
    await state.storage.deleteAlarm();
    if (finished()) {
      await state.storage.setAlarm(armed);
      return false;
    }
    await instance.alarm?.();
    return true;
  });
}

/** The run row as stored: it rides on the newest event that carries it (src/run/run-rows.ts). */
export function storedRunRow(sql: SqlStorage): Record<string, unknown> | undefined {
  const state = sql
    .exec<{ run_state: string }>("SELECT run_state FROM events WHERE run_state IS NOT NULL ORDER BY seq DESC LIMIT 1")
    .toArray()[0]?.run_state;
  return state ? (JSON.parse(state) as Record<string, unknown>) : undefined;
}

/** Changes fields of the stored run row (what a crash or the clock would have left behind). */
export function patchStoredRunRow(sql: SqlStorage, fields: Record<string, string | number | null>): void {
  const row = { ...storedRunRow(sql), ...fields };
  sql.exec(
    "UPDATE events SET run_state = ? WHERE seq = (SELECT MAX(seq) FROM events WHERE run_state IS NOT NULL)",
    JSON.stringify(row),
  );
}
