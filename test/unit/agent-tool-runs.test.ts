// A workflow used as an agent's tool, in plain Node: recorded in memory as a run of its own,
// named by the calling run and step, and recorded once however often that step is replayed.
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { defineAgent } from "cairn-workflows/agent";
import { executeWorkflow, MemoryEventLog } from "cairn-workflows/testing";
import { defineWorkflow } from "cairn-workflows/workflow";
import { setModelClient } from "../../sdk/engine/model-port.ts";
import { memoryToolRuns } from "../../sdk/tool-runs.ts";
import { createModelClient } from "../../src/models/model-router.ts";
import { type MockLlmServer, openAiReply, startMockLlmServer } from "../support/mock-llm-server.ts";

let mock: MockLlmServer;
beforeAll(async () => {
  mock = await startMockLlmServer();
  setModelClient(createModelClient(() => ({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: mock.openAiBaseUrl })));
});
afterAll(async () => {
  setModelClient(undefined);
  await mock.close();
});

const tripler = defineWorkflow({
  slug: "tripler",
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  run: async ({ n }) => ({ n: n * 3 }),
});
const agent = defineAgent({ slug: "math-agent", systemPrompt: "x", model: "openai/gpt-4o-mini", tools: [tripler] });
const flow = defineWorkflow({
  slug: "math-flow",
  input: z.object({}),
  output: z.string(),
  run: async () => (await agent.prompt({ message: "triple 5" })).text,
});

it("records a workflow tool as its own run once, even when a crash makes its step run again", async () => {
  mock.reply(openAiReply(null, [{ id: "c1", name: "tripler", arguments: { n: 5 } }]), openAiReply("15"));
  const log = new MemoryEventLog();
  const runId = `unit-${crypto.randomUUID()}`;
  expect(await executeWorkflow(flow, {}, { eventLog: log, runId })).toEqual({ status: "completed", output: "15" });
  const mine = () => memoryToolRuns().filter((r) => r.parent?.runId === runId);
  expect(mine()).toEqual([
    {
      runId: `tool:${runId}/math-agent#0/tripler#0`,
      workflow: "tripler",
      input: { n: 5 },
      agent: "math-agent",
      parent: { runId, stepId: "math-agent#0/tripler#0" },
      outcome: { status: "completed", output: { n: 15 } },
    },
  ]);

  // The crash: the tool run was recorded, the parent's step_completed for it was not.
  log.events.splice(log.events.findIndex((e) => e.type === "step_completed" && e.stepId === "math-agent#0/tripler#0"));
  mock.reply(openAiReply("15"));
  expect(await executeWorkflow(flow, {}, { eventLog: log, runId })).toEqual({ status: "completed", output: "15" });
  expect(mine()).toHaveLength(1);
});
