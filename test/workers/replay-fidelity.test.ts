import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fireAlarmsUntil, getRun, request, runStub, startRun, waitForStatus } from "./helpers.ts";

type LoggedEvent = { type: string; stepId?: string };

async function eventsOf(runId: string): Promise<LoggedEvent[]> {
  return ((await (await request(`/runs/${runId}/events`)).json()) as { events: LoggedEvent[] }).events;
}

/** Resolves once the run's log holds `type` for `stepId`, woken by each append (no polling). */
async function appended(runId: string, type: string, stepId: string): Promise<void> {
  for (;;) {
    const events = await eventsOf(runId);
    if (events.some((e) => e.type === type && e.stepId === stepId)) return;
    await runStub(runId).waitForEvents(events.length, 5_000);
  }
}

describe("a hook resumed while a pass runs a step past the hook's timeout", () => {
  for (const [round, cold] of [
    [1, false],
    [2, false],
    [3, true],
    [4, true],
  ] as const) {
    it(`takes the resumed branch, never times the hook out, and finishes success (${cold ? "cold" : "warm"} object, round ${round})`, async () => {
      // The hook times out 2 s after it is created, by the run's clock; the step after it holds
      // longer. A cold run creates its hook in the pass that wakes its 1 s sleep early, with the
      // clock moved up to the wake time, so its step holds a second more.
      const holdMs = cold ? 3_500 : 2_500;
      const runId = await startRun("fixture-resume-race", { key: crypto.randomUUID(), cold, holdMs });
      let pass: Promise<unknown> | undefined;
      if (cold) {
        await waitForStatus(runId, ["sleeping"]);
        // The object forgets its loaded log and run row: the racing pass loads them afresh.
        await runInDurableObject(runStub(runId), (instance) =>
          (instance as unknown as { store: { forget(): void } }).store.forget(),
        );
        pass = runDurableObjectAlarm(runStub(runId));
      }
      await appended(runId, "step_started", "race-slow-step#0");
      const hook = (await getRun(runId)).hooks[0];
      const resumed = await request(new URL(hook!.resumeUrl!).pathname, { json: { ok: true } });
      expect(resumed.status).toBe(200);
      await pass;
      await waitForStatus(runId, ["sleeping", "success", "failed"], 10_000);
      const done = await fireAlarmsUntil(runId, ["success", "failed"]);
      expect(done.error).toBeUndefined();
      expect(done.status).toBe("success");
      expect(done.output).toEqual({ branch: "resumed" });
      const types = (await eventsOf(runId)).map((e) => e.type);
      expect(types).toContain("hook_resumed");
      expect(types).not.toContain("hook_timed_out");
    }, 20_000);
  }
});
