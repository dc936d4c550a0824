// Offloaded model calls (decision 0023): `promptLlm(…, { offload: true })` and an agent's turns run
// in the FANOUT queue's consumer, against a model server on the host speaking the OpenAI protocol
// (test/support/scripted-llm-setup.ts), and their answers are recorded exactly once.
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { getModelClient, type ModelRequest, setModelClient } from "../../sdk/engine/model-port.ts";
import type { OffloadedStepMessage } from "../../src/run/offload-port.ts";
import { runOffloadedStep } from "../../src/run/offloaded-step.ts";
import { createModelClient } from "../../src/models/model-router.ts";
import { doubleRanIn, OFFLOAD_MODEL } from "../fixtures/llm-offload-fixtures.ts";
import { whereCodeRuns } from "../fixtures/offload-fixtures.ts";
// The fixture Worker wires its own model client when it loads: load it first, then replace it.
import "../fixtures/worker.ts";
import { getRun, request, runStub, startRun, testEnv, waitForStatus } from "./helpers.ts";

type Event = { type: string; stepId?: string; attempt?: number; usage?: unknown };

/** Every model call made in this isolate: where it ran, and its messages as JSON. */
const calls: { where: string; messages: string }[] = [];
const wired = getModelClient();
beforeAll(() => {
  const client = createModelClient(() => ({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: inject("llmBaseUrl") }));
  setModelClient({
    complete(modelRequest, options) {
      calls.push({ where: whereCodeRuns(), messages: JSON.stringify(modelRequest.messages) });
      return client.complete(modelRequest, options);
    },
  });
});
afterAll(() => setModelClient(wired));

/** Where each model call whose messages name `key` ran. */
const callsWith = (key: string) => calls.filter((call) => call.messages.includes(key)).map((call) => call.where);

const control = (path: string) => fetch(new URL(path, inject("llmBaseUrl")));

/** Keys whose first model request the server holds; each test's are released after it. */
const held = new Set<string>();
const hold = (key: string) => {
  held.add(key);
  return `[hold:${key}]`;
};
async function release(key: string): Promise<void> {
  held.delete(key);
  await control(`/control/release?key=${key}`);
}
// A held request keeps its queue batch, and the local queue's next batches, waiting.
afterEach(async () => {
  for (const key of [...held]) await release(key);
});

/** Waits until the model server has received `n` requests naming `key`. */
async function modelReceived(key: string, n = 1): Promise<void> {
  await vi.waitFor(
    async () => {
      const { count } = (await (await control(`/control/requests?key=${key}`)).json()) as { count: number };
      expect(count).toBeGreaterThanOrEqual(n);
    },
    { timeout: 10_000, interval: 50 },
  );
}

async function eventsOf(runId: string, stepId: string, type: string): Promise<Event[]> {
  const response = await request(`/runs/${runId}/events?limit=1000`);
  const { events } = (await response.json()) as { events: Event[] };
  return events.filter((e) => e.type === type && e.stepId === stepId);
}

/** The queue message of the prompt's model call, as the run dispatched it. */
async function messageOf(runId: string, prompt: string): Promise<OffloadedStepMessage> {
  const run = (await getRun(runId)) as unknown as { triggeredAt?: number };
  const modelRequest: ModelRequest = { model: OFFLOAD_MODEL, messages: [{ role: "user", content: prompt }] };
  return {
    kind: "step",
    runId,
    stepId: "llm#0",
    attempt: 1,
    stepKind: "llm",
    name: "llm",
    input: modelRequest,
    info: { runId, workflow: "fixture-offload-llm", trigger: "api", triggeredAt: run.triggeredAt ?? 0 },
  };
}

describe("offloaded model calls", () => {
  it("makes a promptLlm call once in the queue consumer and finishes the run with the model's answer", async () => {
    const key = crypto.randomUUID();
    const runId = await startRun("fixture-offload-llm", { prompt: `[reply:hello ${key}] greet` });
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    expect(done.output).toBe(`hello ${key}`);
    expect(callsWith(key)).toEqual(["worker"]);
    expect(await eventsOf(runId, "llm#0", "step_started")).toHaveLength(1);
    const completed = await eventsOf(runId, "llm#0", "step_completed");
    expect(completed).toHaveLength(1);
    // The usage the provider reported travelled back with the answer.
    expect(completed[0]!.usage).toEqual({ inputTokens: 11, outputTokens: 7 });
  });

  it("sends the output schema with an offloaded call and checks the answer against it in the run", async () => {
    const key = crypto.randomUUID();
    const runId = await startRun("fixture-offload-llm-json", { prompt: `[reply:{"n":42}] count ${key}` });
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    expect(done.output).toBe(42);
    expect(callsWith(key)).toEqual(["worker"]);
  });

  it("shows the step running while the model thinks, and records an answer reported twice once", async () => {
    const key = crypto.randomUUID();
    const prompt = `${hold(key)} [reply:twice ${key}]`;
    const runId = await startRun("fixture-offload-llm", { prompt });
    await modelReceived(key);
    const out = await getRun(runId);
    expect(out.status).toBe("running");
    expect(out.steps.find((s) => s.id === "llm#0")?.status).toBe("running");
    const message = await messageOf(runId, prompt);
    expect(await runOffloadedStep(testEnv, message)).toEqual({ recorded: true });
    expect(await runOffloadedStep(testEnv, message)).toEqual({ recorded: false });
    await release(key);
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.output).toBe(`twice ${key}`);
    expect(await eventsOf(runId, "llm#0", "step_completed")).toHaveLength(1);
    expect(callsWith(key).filter((where) => where === "run-object")).toEqual([]);
  });

  it("records nothing from an answer reported after the run was canceled", async () => {
    const key = crypto.randomUUID();
    const prompt = `${hold(key)} [reply:late ${key}]`;
    const runId = await startRun("fixture-offload-llm", { prompt });
    await modelReceived(key);
    expect(callsWith(key)).toEqual(["worker"]);
    expect((await request(`/runs/${runId}/cancel`, { method: "POST", json: {} })).status).toBe(200);
    expect(await runOffloadedStep(testEnv, await messageOf(runId, prompt))).toEqual({ recorded: false });
    await release(key);
    const run = await getRun(runId);
    expect(run.status).toBe("canceled");
    expect(await eventsOf(runId, "llm#0", "step_completed")).toHaveLength(0);
  });

  it("retries a model call the provider refused with the step's backoff, offloaded again", async () => {
    const key = crypto.randomUUID();
    const runId = await startRun("fixture-offload-llm", { prompt: `[fail-once:${key}] [reply:retried ${key}]` });
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    expect(done.output).toBe(`retried ${key}`);
    expect((await eventsOf(runId, "llm#0", "step_retrying")).map((e) => e.attempt)).toEqual([1]);
    expect((await eventsOf(runId, "llm#0", "step_started")).map((e) => e.attempt)).toEqual([1, 2]);
    expect(callsWith(key)).toEqual(["worker", "worker"]);
  });

  it("makes the call again when its answer is overdue, and records only the answer that lands first", async () => {
    const key = crypto.randomUUID();
    const runId = await startRun("fixture-offload-llm", { prompt: `${hold(key)} [reply:again ${key}]` });
    await modelReceived(key);
    // The run's next timer is the attempt's report deadline: firing the alarm reaches it.
    await runDurableObjectAlarm(runStub(runId));
    expect((await eventsOf(runId, "llm#0", "step_started")).map((e) => e.attempt)).toEqual([1, 1]);
    // Both dispatches of attempt 1 answer (the local queue delivers the second once the first's
    // batch is done): one report is recorded, the other is stale.
    await release(key);
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.output).toBe(`again ${key}`);
    await modelReceived(key, 2);
    await vi.waitFor(() => expect(callsWith(key)).toEqual(["worker", "worker"]), { timeout: 10_000, interval: 50 });
    expect(await eventsOf(runId, "llm#0", "step_completed")).toHaveLength(1);
  });

  it("runs an offloaded agent's turns in the consumer and its plain action tool in the run", async () => {
    const n = Math.floor(Math.random() * 1_000_000);
    const key = crypto.randomUUID();
    const runId = await startRun("fixture-offload-agent-ask", {
      message: `[tool:fixture-offload-double {"n":${n}}] double it, ${key}`,
    });
    const done = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(done.status).toBe("success");
    expect(done.output).toBe(`the tool said {"n":${n * 2}}`);
    // Both turns (ask for the tool, then answer) went out; the tool, not offloaded, ran in the run.
    expect(callsWith(key)).toEqual(["worker", "worker"]);
    expect(doubleRanIn.get(n)).toBe("run-object");
    for (const turn of ["fixture-offload-agent#0/llm#0", "fixture-offload-agent#0/llm#1"])
      expect(await eventsOf(runId, turn, "step_completed")).toHaveLength(1);
  });
});
