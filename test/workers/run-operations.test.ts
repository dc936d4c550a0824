import { describe, expect, it } from "vitest";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import { fireAlarmsUntil, getRun, request, startRun, testEnv, waitForStatus } from "./helpers.ts";

const key = () => crypto.randomUUID();
const FINISHED = ["success", "failed", "canceled"];

type Linked = {
  status: string;
  input?: unknown;
  output?: { trigger: string; executions: number[] };
  trigger: { type: string };
  retryOf?: string;
  retriedBy?: string[];
  rerunOf?: string;
  cancelReason?: string;
  steps: { id: string; name: string; status: string }[];
};

const run = async (runId: string) => (await getRun(runId)) as unknown as Linked;

async function counts(k: string) {
  return {
    a: await sideEffectCount(`${k}:a`),
    b: await sideEffectCount(`${k}:b`),
    c: await sideEffectCount(`${k}:c`),
    d: await sideEffectCount(`${k}:d`),
  };
}

/** Starts the chain with `fail` and waits until it has failed. */
async function failedChain(k: string, fail: Record<string, number>) {
  const runId = await startRun("fixture-ops-chain", { key: k, fail });
  expect((await waitForStatus(runId, FINISHED)).status).toBe("failed");
  return runId;
}

async function post(path: string, json?: unknown) {
  const response = await request(path, json === undefined ? { method: "POST" } : { json });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /runs/:id/retry", () => {
  it("starts a new run that returns completed steps' results and executes from the failed step once", async () => {
    const k = key();
    const oldId = await failedChain(k, { b: 1 });
    expect(await counts(k)).toEqual({ a: 1, b: 1, c: 0, d: 0 });

    const retried = await post(`/runs/${oldId}/retry`);
    expect(retried.status).toBe(202);
    const newId = retried.body.runId as string;
    expect(newId).not.toBe(oldId);
    expect(retried.body.status).toBe("queued");

    const done = (await fireAlarmsUntil(newId, FINISHED)) as unknown as Linked;
    expect(done.status).toBe("success");
    // a ran once in all (replayed from the old log), b once more, the rest once.
    expect(await counts(k)).toEqual({ a: 1, b: 2, c: 1, d: 1 });
    expect(done.output).toEqual({ trigger: "retry", executions: [1, 2, 1, 1] });

    const fresh = await run(newId);
    expect(fresh.trigger.type).toBe("retry");
    expect(fresh.retryOf).toBe(oldId);
    const old = await run(oldId);
    expect(old.status).toBe("failed");
    expect(old.retriedBy).toEqual([newId]);
    // The audit record follows the terminal event; nothing else changed in the old run.
    const events = (await (await request(`/runs/${oldId}/events`)).json()) as { events: { type: string }[] };
    expect(events.events.slice(-2).map((e) => e.type)).toEqual(["run_failed", "run_retried"]);
  });

  it("with fromStep re-executes that step and every later one once, and not the steps before it", async () => {
    const k = key();
    const oldId = await failedChain(k, { c: 1 });
    const b = (await run(oldId)).steps[1];
    expect(b?.status).toBe("completed");

    const retried = await post(`/runs/${oldId}/retry`, { fromStep: b!.id });
    expect(retried.status).toBe(202);
    const done = (await fireAlarmsUntil(retried.body.runId as string, FINISHED)) as unknown as Linked;
    expect(done.status).toBe("success");
    expect(await counts(k)).toEqual({ a: 1, b: 2, c: 2, d: 1 });
  });

  it("does not sleep again through a sleep the failed run completed", async () => {
    const k = key();
    const runId = await startRun("fixture-ops-chain", { key: k, fail: { d: 1 } });
    expect((await fireAlarmsUntil(runId, FINISHED)).status).toBe("failed");
    const retried = await post(`/runs/${runId}/retry`);
    // No alarm is fired for it: a replayed sleep needs none, one slept again would stop at `sleeping`.
    const done = await waitForStatus(retried.body.runId as string, ["sleeping", ...FINISHED]);
    expect(done.status).toBe("success");
    expect(await counts(k)).toEqual({ a: 1, b: 1, c: 1, d: 2 });
  });

  it("answers 404 step_not_found when fromStep names no step of the run", async () => {
    const oldId = await failedChain(key(), { a: 1 });
    const retried = await post(`/runs/${oldId}/retry`, { fromStep: "nothing#9" });
    expect(retried.status).toBe(404);
    expect((retried.body.error as { code: string }).code).toBe("step_not_found");
    expect((await run(oldId)).retriedBy).toBeUndefined();
  });

  it("refuses a live run with 409 run_not_retryable, and retries it once canceled with a reason", async () => {
    const k = key();
    const runId = await startRun("fixture-ops-chain", { key: k });
    await waitForStatus(runId, ["sleeping"]);

    const refused = await post(`/runs/${runId}/retry`);
    expect(refused.status).toBe(409);
    expect((refused.body.error as { code: string }).code).toBe("run_not_retryable");

    const canceled = await post(`/runs/${runId}/cancel`, { reason: "stuck behind a deploy" });
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe("canceled");
    const shown = await run(runId);
    expect(shown.status).toBe("canceled");
    expect(shown.cancelReason).toBe("stuck behind a deploy");

    const retried = await post(`/runs/${runId}/retry`);
    expect(retried.status).toBe(202);
    const done = (await fireAlarmsUntil(retried.body.runId as string, FINISHED)) as unknown as Linked;
    expect(done.status).toBe("success");
    // The completed steps replay; the sleep the cancel cut short sleeps again, then d runs.
    expect(await counts(k)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
  });

  it("copies a large recorded output into the new run's own R2 values, without executing its step again", async () => {
    const k = key();
    const bytes = 200 * 1024;
    const oldId = await startRun("fixture-ops-large", { key: k, bytes });
    expect((await waitForStatus(oldId, FINISHED)).status).toBe("failed");
    const retried = await post(`/runs/${oldId}/retry`);
    const newId = retried.body.runId as string;
    const done = await waitForStatus(newId, FINISHED);
    expect(done.status).toBe("success");
    expect(done.output).toEqual({ length: bytes });
    expect(await sideEffectCount(`${k}:big`)).toBe(1);
    // The new run owns its copy: purging the old run's values cannot take the new run's with them.
    const prefix = `runs/${testEnv.RUNS.idFromName(newId).toString()}/`;
    const stored = await testEnv.PAYLOADS!.list({ prefix });
    expect(stored.objects.length).toBe(1);
    expect(stored.objects[0]!.size).toBeGreaterThanOrEqual(bytes);
  });

  it("refuses a run that succeeded", async () => {
    const k = key();
    const runId = await startRun("fixture-ops-chain", { key: k });
    expect((await fireAlarmsUntil(runId, FINISHED)).status).toBe("success");
    const refused = await post(`/runs/${runId}/retry`);
    expect(refused.status).toBe(409);
    expect((refused.body.error as { code: string }).code).toBe("run_not_retryable");
  });
});

describe("POST /runs/:id/rerun", () => {
  it("starts a fresh run with the same input, linked to the original", async () => {
    const k = key();
    const oldId = await failedChain(k, { b: 1 });
    const rerun = await post(`/runs/${oldId}/rerun`);
    expect(rerun.status).toBe(202);
    const newId = rerun.body.runId as string;
    const done = (await fireAlarmsUntil(newId, FINISHED)) as unknown as Linked;
    expect(done.status).toBe("success");
    // Nothing replayed: every step executed again.
    expect(await counts(k)).toEqual({ a: 2, b: 2, c: 1, d: 1 });
    expect(done.input).toEqual({ key: k, fail: { b: 1 } });
    expect(done.rerunOf).toBe(oldId);
    expect(done.trigger.type).toBe("api");
  });

  it("starts with edited input, and refuses input the workflow's schema rejects with 400 invalid_input", async () => {
    const oldId = await failedChain(key(), { a: 1 });
    const edited = key();
    const rerun = await post(`/runs/${oldId}/rerun`, { input: { key: edited } });
    expect(rerun.status).toBe(202);
    const done = (await fireAlarmsUntil(rerun.body.runId as string, FINISHED)) as unknown as Linked;
    expect(done.status).toBe("success");
    expect(await counts(edited)).toEqual({ a: 1, b: 1, c: 1, d: 1 });

    const invalid = await post(`/runs/${oldId}/rerun`, { input: { key: 5 } });
    expect(invalid.status).toBe(400);
    expect((invalid.body.error as { code: string }).code).toBe("invalid_input");
  });
});
