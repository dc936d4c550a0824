// Divergence parks a run (decision 0018): an edit that changes a recorded call's input blocks the
// run with a reason naming the step, its call site and the diff; the run keeps its timers and
// hooks; fixed code unblocks it (the sweep, an alarm, or POST /runs/:id/retry in place), also
// after its object restarts.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { pokeBlockedRuns } from "../../src/history/sweep.ts";
import { approvalChanged, approvalV1 } from "../fixtures/call-sites/approval-workflows.ts";
import { deploy } from "../fixtures/call-sites/deploy.ts";
import { orderChangedInput, orderV1 } from "../fixtures/call-sites/order-workflows.ts";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import {
  fireAlarmsUntil,
  getRun,
  patchStoredRunRow,
  request,
  runStub,
  startRun,
  testEnv,
  waitForStatus,
} from "./helpers.ts";

type Event = { seq: number; type: string; stepId?: string; reason?: Record<string, unknown> };
type Blocked = { code: string; stepId: string; site?: string; diff: string[]; message: string };

async function eventsOf(runId: string): Promise<Event[]> {
  const response = await request(`/runs/${runId}/events?limit=1000`);
  return ((await response.json()) as { events: Event[] }).events;
}

async function blockedReason(runId: string): Promise<Blocked | undefined> {
  return ((await getRun(runId)) as unknown as { blocked?: Blocked }).blocked;
}

async function timerKinds(runId: string): Promise<string[]> {
  return runInDurableObject(runStub(runId), (_instance, state) =>
    [...state.storage.sql.exec<{ kind: string }>("SELECT kind FROM timers ORDER BY kind")].map((t) => t.kind),
  );
}

/** The per-minute sweep over enough ticks that its window of shards covers every shard. */
async function sweepBlocked(): Promise<string[]> {
  const poked: string[] = [];
  for (let tick = 0; tick < 3; tick++) poked.push(...(await pokeBlockedRuns(testEnv, Date.now() + tick * 60_000)));
  return poked;
}

/** A cs-order run recorded by the first deployment, then blocked by a changed input. */
async function blockedOrder(): Promise<{ runId: string; key: string }> {
  deploy(orderV1);
  const key = crypto.randomUUID();
  const runId = await startRun("cs-order", { key });
  await waitForStatus(runId, ["sleeping"]);
  deploy(orderChangedInput);
  const run = await fireAlarmsUntil(runId, ["blocked", "success", "failed"]);
  expect(run.status).toBe("blocked");
  return { runId, key };
}

afterEach(() => {
  deploy(orderV1);
  deploy(approvalV1);
});

describe("blocked runs", () => {
  it("blocks a run whose recorded call's input changed, naming the step, its call site and the diff", async () => {
    const { runId, key } = await blockedOrder();
    const reason = await blockedReason(runId);
    expect(reason).toMatchObject({ code: "non_determinism", stepId: "cs-charge#0", diff: ['input.item: "a" → "a2"'] });
    expect(reason?.site).toMatch(/^[0-9a-z]{8}#0$/);
    expect(reason?.message).toContain("cs-charge#0");
    expect(await sideEffectCount(`${key}:a2`)).toBe(0);
    // Replaying the same code again records nothing: one run_blocked, still the last event.
    await runStub(runId).redriveBlocked();
    await runDurableObjectAlarm(runStub(runId));
    const events = await eventsOf(runId);
    expect(events.filter((e) => e.type === "run_blocked")).toHaveLength(1);
    expect(events.at(-1)?.type).toBe("run_blocked");
    expect((await getRun(runId)).status).toBe("blocked");
  });

  it("unblocks and finishes once fixed code is deployed and the sweep wakes it, each step run once", async () => {
    const { runId, key } = await blockedOrder();
    deploy(orderV1);
    expect(await sweepBlocked()).toContain(runId);
    const run = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(run.status).toBe("success");
    expect(run.output).toEqual({ items: ["a", "x", "b"] });
    for (const item of ["a", "x", "b"]) expect(await sideEffectCount(`${key}:${item}`)).toBe(1);
    const types = (await eventsOf(runId)).map((e) => e.type);
    expect(types.indexOf("run_unblocked")).toBeGreaterThan(types.indexOf("run_blocked"));
  });

  it("keeps its hook and timers while blocked, records a resume, and POST /runs/:id/retry re-drives the same run", async () => {
    deploy(approvalV1);
    const key = crypto.randomUUID();
    const runId = await startRun("cs-approval", { key });
    const sleeping = await waitForStatus(runId, ["waiting_on_hook", "sleeping"]);
    const resumeUrl = sleeping.hooks[0]?.resumeUrl;
    expect(resumeUrl).toBeDefined();
    deploy(approvalChanged);
    expect((await fireAlarmsUntil(runId, ["blocked", "success", "failed"])).status).toBe("blocked");
    expect(await timerKinds(runId)).toContain("hook_timeout");

    // Still incompatible: the retry answers at once with the same run, which stays blocked.
    const retried = await request(`/runs/${runId}/retry`, { method: "POST" });
    expect(retried.status).toBe(202);
    expect(await retried.json()).toEqual({ runId, status: "blocked" });
    const resumed = await request(new URL(resumeUrl!).pathname, { json: { ok: true } });
    expect(resumed.status).toBe(200);
    await runDurableObjectAlarm(runStub(runId));
    expect((await getRun(runId)).status).toBe("blocked");
    const whileBlocked = (await eventsOf(runId)).map((e) => e.type);
    expect(whileBlocked.slice(whileBlocked.indexOf("run_blocked"))).toEqual(["run_blocked", "hook_resumed"]);
    expect(await timerKinds(runId)).toContain("hook_timeout");

    deploy(approvalV1);
    const again = await request(`/runs/${runId}/retry`, { method: "POST" });
    expect(await again.json()).toMatchObject({ runId });
    const done = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(done.output).toEqual({ items: ["a", "b"], approved: { ok: true } });
    expect(await sideEffectCount(`${key}:a`)).toBe(1);
    expect(await sideEffectCount(`${key}:b`)).toBe(1);
    expect(await sideEffectCount(`${key}:a-changed`)).toBe(0);
  });

  it("answers 409 to a retry of a live run that is not blocked", async () => {
    deploy(orderV1);
    const runId = await startRun("cs-order", { key: crypto.randomUUID() });
    await waitForStatus(runId, ["sleeping"]);
    const response = await request(`/runs/${runId}/retry`, { method: "POST" });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("run_not_retryable");
  });

  it("stays blocked across a restart, then unblocks once fixed code is deployed", async () => {
    const { runId, key } = await blockedOrder();
    await evictDurableObject(runStub(runId));
    expect((await getRun(runId)).status).toBe("blocked");
    deploy(orderV1);
    expect(await sweepBlocked()).toContain(runId);
    expect((await fireAlarmsUntil(runId, ["success", "failed"])).status).toBe("success");
    expect(await sideEffectCount(`${key}:a`)).toBe(1);
  });

  it("recovers a run cut off between run_blocked and its blocked status: no second run_blocked", async () => {
    const { runId } = await blockedOrder();
    // What a crash right after the append leaves: the log says blocked, the row still running,
    // and no alarm armed. The watchdog re-drives it; the replay finds the same divergence.
    await runInDurableObject(runStub(runId), async (_instance, state) => {
      patchStoredRunRow(state.storage.sql, { status: "running" });
      await state.storage.deleteAlarm();
    });
    await evictDurableObject(runStub(runId));
    expect(await runStub(runId).watchdog()).toBe("recovered");
    expect((await fireAlarmsUntil(runId, ["blocked", "success", "failed"])).status).toBe("blocked");
    expect((await eventsOf(runId)).filter((e) => e.type === "run_blocked")).toHaveLength(1);
    deploy(orderV1);
    await runStub(runId).redriveBlocked();
    expect((await fireAlarmsUntil(runId, ["success", "failed"])).status).toBe("success");
  });
});
