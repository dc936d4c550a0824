// Agents in the Worker under races: a workflow tool recorded as its own run exactly once,
// concurrent prompts to one session keeping every exchange, and a trigger's agent prompted
// once per delivery. The model is the scripted one from test/fixtures/agent-fixtures.ts.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getModelClient, type ModelRequest, setModelClient } from "../../sdk/engine/model-port.ts";
import { scriptedModel } from "../fixtures/agent-fixtures.ts";
import worker, { runFaults } from "../fixtures/worker.ts";
import { fireAlarmsUntil, getRun, request, startRun, testEnv, waitForStatus } from "./helpers.ts";

const wired = getModelClient();
afterAll(() => setModelClient(wired));
let model: ReturnType<typeof scriptedModel>;
function useModel(next: ReturnType<typeof scriptedModel>) {
  model = next;
  setModelClient(model.client);
}
beforeAll(() => useModel(scriptedModel()));

type ToolRun = {
  runId: string;
  status: string;
  input: unknown;
  output?: unknown;
  trigger: { type: string; source?: string; parentRunId?: string; parentStepId?: string };
};

/** The runs of the doubler tool that `parentRunId` started, read through GET /runs and GET /runs/:id. */
async function toolRunsOf(parentRunId: string): Promise<ToolRun[]> {
  const listed = (await (await request("/runs?workflow=fixture-doubler&limit=1000")).json()) as {
    runs: { runId: string }[];
  };
  const runs = await Promise.all(listed.runs.map((r) => getRun(r.runId) as unknown as Promise<ToolRun>));
  return runs.filter((r) => r.trigger.parentRunId === parentRunId);
}

const lastUser = (request: ModelRequest) => request.messages.findLast((m) => m.role === "user")?.content ?? "";
const echo = () =>
  scriptedModel((r) => ({
    text: `reply to ${lastUser(r)}`,
    toolCalls: [],
    usage: { inputTokens: 1, outputTokens: 1 },
  }));

describe("a workflow used as an agent's tool", () => {
  it("is recorded as its own run in the history, with its input, output and the run and step that called it", async () => {
    useModel(scriptedModel());
    const runId = await startRun("fixture-ask-helper", { message: "double 21" });
    const run = await waitForStatus(runId, ["success", "failed"]);
    expect(run.output).toBe('the tool said {"n":42}');

    const children = await toolRunsOf(runId);
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({
      status: "success",
      input: { n: 21 },
      output: { n: 42 },
      trigger: {
        type: "tool",
        source: "fixture-helper",
        parentRunId: runId,
        parentStepId: "fixture-helper#0/fixture-doubler#0",
      },
    });
  });

  it("is recorded once when the parent's pass dies after recording it and before its step completes", async () => {
    useModel(scriptedModel());
    runFaults.failAppendOf = "step_completed:fixture-helper#0/fixture-doubler#0";
    const runId = await startRun("fixture-ask-helper", { message: "double 21 again" });
    const run = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(runFaults.failAppendOf).toBeUndefined();
    expect(run.output).toBe('the tool said {"n":42}');
    const children = await toolRunsOf(runId);
    expect(children.map((c) => c.status)).toEqual(["success"]);
    // The replay re-read the recorded model turns: one call to ask for the tool, one to answer.
    expect(model.requests).toHaveLength(2);
  });
});

describe("agent sessions", () => {
  it("keeps both exchanges, in order, when one session is prompted twice at once (10 times over)", async () => {
    useModel(echo());
    for (let round = 0; round < 10; round++) {
      const sessionId = `race-${crypto.randomUUID()}`;
      const prompt = (message: string) => request("/agents/fixture-helper/prompt", { json: { message, sessionId } });
      const answers = await Promise.all([prompt("first"), prompt("second")]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);

      const session = (await (await request(`/agents/fixture-helper/sessions/${sessionId}`)).json()) as {
        messages: { role: string; content: string }[];
      };
      const [one, two] = session.messages[1]?.content === "first" ? ["first", "second"] : ["second", "first"];
      // The second prompt started after the first was saved, and the model saw the first exchange.
      const second = model.requests.findLast((r) => lastUser(r) === two);
      expect(second?.messages.map((m) => m.content)).toEqual(["You help.", one, `reply to ${one}`, two]);
      expect(session.messages.map((m) => `${m.role}: ${m.content}`)).toEqual([
        "system: You help.",
        `user: ${one}`,
        `assistant: reply to ${one}`,
        `user: ${two}`,
        `assistant: reply to ${two}`,
      ]);
    }
  });
});

describe("an agent attached to a cron source", () => {
  async function tick(at: string) {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(at), cron: "* * * * *" }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
  }

  it("is prompted once per scheduled minute, however often that minute's event is delivered", async () => {
    useModel(echo());
    await Promise.all([tick("2028-02-29T03:41:00Z"), tick("2028-02-29T03:41:20Z"), tick("2028-02-29T03:41:59Z")]);
    expect(model.requests.map(lastUser)).toEqual(["Anything to do?"]);
    await tick("2032-02-29T03:41:00Z");
    expect(model.requests).toHaveLength(2);
  });
});
