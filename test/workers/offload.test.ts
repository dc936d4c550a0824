// Offloaded steps (decision 0023) through the real FANOUT queue, its consumer and the run's
// Durable Object: the step runs outside the object, and its outcome is recorded exactly once.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OffloadedStepMessage } from "../../src/run/offload-port.ts";
import { runOffloadedStep } from "../../src/run/offloaded-step.ts";
import { probe, sideEffectCount } from "../fixtures/side-effects.ts";
import { offloadFaults } from "../fixtures/worker.ts";
import { getRun, request, runStub, startRun, testEnv, waitForStatus } from "./helpers.ts";

type Event = {
  seq: number;
  at: number;
  type: string;
  stepId?: string;
  attempt?: number;
  retryAt?: number;
  logs?: { message: string }[];
};

const SHOUT = "offload-shout";

async function eventsOf(runId: string): Promise<Event[]> {
  const response = await request(`/runs/${runId}/events?limit=1000`);
  return ((await response.json()) as { events: Event[] }).events;
}

/** The shout step's events, by type. */
async function shoutEvents(runId: string, type: string): Promise<Event[]> {
  return (await eventsOf(runId)).filter((e) => e.type === type && e.stepId?.startsWith(SHOUT));
}

/** Starts the fixture with the consumer's reports failing `failReports` times (it dies before reporting). */
async function start(failReports = 0, failUntil = 0) {
  const key = crypto.randomUUID();
  if (failReports) offloadFaults.failReports.set(key, failReports);
  const runId = await startRun("fixture-offload", { key, text: "hi", failUntil });
  return { key, runId };
}

/** Waits until the consumer has executed the action `n` times. */
async function executed(key: string, n = 1): Promise<void> {
  await vi.waitFor(async () => expect(await sideEffectCount(`${key}:executions`)).toBeGreaterThanOrEqual(n), {
    timeout: 10_000,
    interval: 50,
  });
}

/** The queue message of the shout step's attempt, as the run dispatched it. */
async function messageOf(runId: string, key: string, attempt = 1): Promise<OffloadedStepMessage> {
  const started = (await shoutEvents(runId, "step_started")).at(-1);
  const run = (await eventsOf(runId)).find((e) => e.type === "run_started") as unknown as { triggeredAt: number };
  return {
    kind: "step",
    runId,
    stepId: started!.stepId!,
    attempt,
    name: SHOUT,
    input: { key, text: "hi", failUntil: 0 },
    info: { runId, workflow: "fixture-offload", trigger: "api", triggeredAt: run.triggeredAt },
  };
}

afterEach(() => offloadFaults.failReports.clear());

describe("offloaded steps", () => {
  it("runs the step once in the queue consumer, outside the run's object, and finishes the run with its output", async () => {
    const { key, runId } = await start();
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    // The output crossed the queue and the report with its types (a Date stays a Date).
    expect(done.output).toEqual({ text: "HI", attempt: 1, dated: true, tallied: 1 });
    expect(await probe().list(key)).toEqual(["worker"]);
    expect(await sideEffectCount(`${key}:executions`)).toBe(1);
    // The run record says where the step ran.
    const step = (await getRun(runId)).steps.find((s) => s.id.startsWith(SHOUT)) as { offloaded?: boolean };
    expect(step.offloaded).toBe(true);
    const completed = await shoutEvents(runId, "step_completed");
    expect(completed).toHaveLength(1);
    expect(completed[0]!.logs?.map((l) => l.message)).toEqual(["shouting on attempt 1"]);
  });

  it("shows the run and the step running while the step is out, and records a report that arrives twice once", async () => {
    const { key, runId } = await start(100);
    await executed(key);
    const out = await getRun(runId);
    expect(out.status).toBe("running");
    expect(out.steps.find((s) => s.id.startsWith(SHOUT))?.status).toBe("running");
    const message = await messageOf(runId, key);
    expect(await runOffloadedStep(testEnv, message)).toEqual({ recorded: true });
    expect(await runOffloadedStep(testEnv, message)).toEqual({ recorded: false });
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    expect(await shoutEvents(runId, "step_completed")).toHaveLength(1);
    // A report for an attempt that never started is stale too.
    expect(await runOffloadedStep(testEnv, { ...message, attempt: 2 })).toEqual({ recorded: false });
  });

  it("records one step_completed when the consumer dies after the action answered and the queue redelivers", async () => {
    const { key, runId } = await start(1);
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    // The action ran again on redelivery: at-least-once execution, exactly-once recording.
    expect(await sideEffectCount(`${key}:executions`)).toBe(2);
    expect(await probe().list(key)).toEqual(["worker", "worker"]);
    expect(await shoutEvents(runId, "step_completed")).toHaveLength(1);
    expect(await shoutEvents(runId, "step_started")).toHaveLength(1);
  });

  it("records nothing from a report that arrives after the run was canceled", async () => {
    const { key, runId } = await start(100);
    await executed(key);
    expect((await request(`/runs/${runId}/cancel`, { method: "POST", json: {} })).status).toBe(200);
    expect(await runOffloadedStep(testEnv, await messageOf(runId, key))).toEqual({ recorded: false });
    const run = await getRun(runId);
    expect(run.status).toBe("canceled");
    expect(await shoutEvents(runId, "step_completed")).toHaveLength(0);
  });

  it("lands the report on a run object restarted while the step was out", async () => {
    const { key, runId } = await start(100);
    await executed(key);
    const message = await messageOf(runId, key);
    await evictDurableObject(runStub(runId));
    expect(await runOffloadedStep(testEnv, message)).toEqual({ recorded: true });
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    expect(await shoutEvents(runId, "step_completed")).toHaveLength(1);
  });

  it("retries a failing offloaded step with backoff, offloaded again, then fails the run as in the object", async () => {
    const { key, runId } = await start(0, 99);
    const done = await waitForStatus(runId, ["success", "failed"], 20_000);
    expect(done.status).toBe("failed");
    expect(done.error?.message).toBe("shout fails on execution 3");
    const step = done.steps.find((s) => s.id.startsWith(SHOUT));
    expect(step).toMatchObject({ status: "failed", attempts: 3 });
    expect(await probe().list(key)).toEqual(["worker", "worker", "worker"]);
    const retrying = await shoutEvents(runId, "step_retrying");
    expect(retrying.map((e) => e.attempt)).toEqual([1, 2]);
    // The policy's backoff (1 s, then 2 s; the clock ticks between the two reads), and each retry
    // started only once its backoff was over.
    expect(retrying[0]!.retryAt! - retrying[0]!.at).toBeGreaterThanOrEqual(990);
    expect(retrying[1]!.retryAt! - retrying[1]!.at).toBeGreaterThanOrEqual(1_990);
    const started = await shoutEvents(runId, "step_started");
    expect(started.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(started[1]!.at).toBeGreaterThanOrEqual(retrying[0]!.retryAt!);
    expect(started[2]!.at).toBeGreaterThanOrEqual(retrying[1]!.retryAt!);
    expect(await shoutEvents(runId, "step_failed")).toHaveLength(1);
  });

  it("dispatches the same attempt again when its report never arrives", async () => {
    const { key, runId } = await start(100);
    await executed(key);
    // The run's next timer is the attempt's report deadline: firing the alarm reaches it.
    await runDurableObjectAlarm(runStub(runId));
    const started = await shoutEvents(runId, "step_started");
    expect(started.map((e) => e.attempt)).toEqual([1, 1]);
    offloadFaults.failReports.clear();
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    expect(await shoutEvents(runId, "step_completed")).toHaveLength(1);
  });
});
