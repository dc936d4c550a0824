// Exactly-once under races: concurrent resumes, cancel against resume, and purge against both,
// on warm objects and on cold ones (restarted, nothing in memory), repeated to catch the race.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { runFaults } from "../fixtures/worker.ts";
import { fireAlarmsUntil, request, runStub, startRun, testEnv, waitForStatus } from "./helpers.ts";

type Event = { seq: number; type: string; stepId?: string; payload?: unknown };

async function eventsOf(runId: string): Promise<Event[]> {
  const response = await request(`/runs/${runId}/events?limit=1000`);
  return ((await response.json()) as { events: Event[] }).events;
}

/** What a process restart leaves: the object evicted, its memory gone (log, row cache, hook schemas). */
async function restart(runId: string): Promise<void> {
  await evictDurableObject(runStub(runId));
}

async function waitingHook(runId: string): Promise<string> {
  const run = await waitForStatus(runId, ["waiting_on_hook"]);
  const url = run.hooks[0]?.resumeUrl;
  if (!url) throw new Error(`no open hook on ${runId}`);
  return new URL(url).pathname;
}

const terminal = new Set(["run_completed", "run_failed", "run_canceled"]);

/** Nothing is recorded after the event that ended the run. */
function expectNothingAfterTheEnd(events: Event[]): void {
  const end = events.findIndex((e) => terminal.has(e.type));
  if (end >= 0) expect(events.slice(end + 1).map((e) => e.type)).toEqual([]);
}

describe.each(["warm", "cold"])("on a %s run object", (temperature) => {
  it("lets exactly one of several concurrent resumes of a hook win; the others get 409", async () => {
    for (let round = 0; round < 5; round++) {
      const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
      const path = await waitingHook(runId);
      if (temperature === "cold") await restart(runId);
      const payloads = [{ approved: true }, { approved: false }, { approved: true, count: 2 }];
      const responses = await Promise.all(payloads.map((json) => request(path, { json })));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409]);
      const conflict = (await responses.find((r) => r.status === 409)!.json()) as { error: { code: string } };
      expect(conflict.error.code).toBe("hook_already_resumed");

      const winner = payloads[responses.findIndex((r) => r.status === 200)];
      const done = await waitForStatus(runId, ["success", "failed"]);
      expect(done.output).toEqual({ decision: winner?.approved ? "approved" : "rejected" });
      const resumes = (await eventsOf(runId)).filter((e) => e.type === "hook_resumed");
      expect(resumes.map((e) => e.payload)).toEqual([winner]);
    }
  }, 60_000);

  it("records a cancel and a concurrent resume in one order only: never a resume after the cancel", async () => {
    for (let round = 0; round < 10; round++) {
      const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
      const path = await waitingHook(runId);
      if (temperature === "cold") await restart(runId);
      const [resumed, canceled] = await Promise.all([
        request(path, { json: { approved: true } }),
        request(`/runs/${runId}/cancel`, { method: "POST" }),
      ]);
      await fireAlarmsUntil(runId, ["success", "failed", "canceled"]);
      const events = await eventsOf(runId);
      expectNothingAfterTheEnd(events);
      const types = events.map((e) => e.type);
      // Each answer matches what the log holds.
      expect(resumed.status === 200).toBe(types.includes("hook_resumed"));
      expect(canceled.status === 200).toBe(types.includes("run_canceled"));
      expect(types.filter((t) => t === "hook_resumed").length).toBeLessThanOrEqual(1);
      if (resumed.status !== 200) expect(resumed.status).toBe(404);
      // The events are numbered 1..n with no gap or repeat.
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    }
  }, 60_000);
});

describe("a purged run", () => {
  it("refuses resumes and cancels, and its reused idempotency key starts a fresh log at seq 1", async () => {
    const idempotencyKey = crypto.randomUUID();
    const input = { key: crypto.randomUUID() };
    const runId = await startRun("fixture-approver", input, { "idempotency-key": idempotencyKey });
    const path = await waitingHook(runId);
    expect((await request(`/runs/${runId}/cancel`, { method: "POST" })).status).toBe(200);
    await waitForStatus(runId, ["canceled"]);
    // The retention timer is the only one left: firing it purges, and racing writes see either the
    // finished run (refused) or nothing at all (refused), never a half-deleted one.
    const [, resumed, canceled] = await Promise.all([
      runDurableObjectAlarm(runStub(runId)),
      request(path, { json: { approved: true } }),
      request(`/runs/${runId}/cancel`, { method: "POST" }),
    ]);
    expect(resumed.status).toBe(404);
    expect([404, 409]).toContain(canceled.status);
    expect((await request(`/runs/${runId}`)).status).toBe(404);
    expect((await request(path, { json: { approved: true } })).status).toBe(404);
    expect((await request(`/runs/${runId}/cancel`, { method: "POST" })).status).toBe(404);

    const again = await startRun("fixture-approver", input, { "idempotency-key": idempotencyKey });
    expect(again).toBe(runId);
    const path2 = await waitingHook(again);
    expect((await request(path2, { json: { approved: true } })).status).toBe(200);
    expect((await waitForStatus(again, ["success", "failed"])).status).toBe("success");
    const events = await eventsOf(again);
    expect(events[0]).toMatchObject({ seq: 1, type: "run_started" });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  }, 30_000);

  it("leaves no large value behind, not even one stored by an attempt that never completed", async () => {
    // The output reaches R2, then recording step_completed fails: that attempt's value is
    // referenced by no event, and the replay stores the output again under a new key.
    runFaults.failAppendOf = "step_completed:big-output#0";
    const runId = await startRun("fixture-large-output", { key: crypto.randomUUID(), megabytes: 1 });
    expect((await fireAlarmsUntil(runId, ["success", "failed"])).status).toBe("success");
    expect(runFaults.failAppendOf).toBeUndefined();
    const prefix = `runs/${testEnv.RUNS.idFromName(runId).toString()}/`;
    const stored = await testEnv.PAYLOADS!.list({ prefix });
    expect(stored.objects.length).toBe(2);

    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    expect((await request(`/runs/${runId}`)).status).toBe(404);
    expect((await testEnv.PAYLOADS!.list({ prefix })).objects).toEqual([]);
  }, 30_000);
});
