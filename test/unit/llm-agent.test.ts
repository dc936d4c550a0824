import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { defineAgent } from "cairn-workflows/agent";
import { executeWorkflow, MemoryEventLog } from "cairn-workflows/testing";
import { defineWorkflow, promptLlm } from "cairn-workflows/workflow";
import { setModelClient } from "../../sdk/engine/model-port.ts";
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
beforeEach(() => {
  mock.requests.length = 0;
});

const jokeFlow = defineWorkflow({
  slug: "joke-test",
  input: z.object({ topic: z.string() }),
  output: z.object({ joke: z.string(), funny: z.boolean() }),
  run: async ({ topic }) => {
    const joke = await promptLlm(`A joke about ${topic}`, { model: "openai/gpt-4o-mini" });
    const { funny } = await promptLlm(`Is this funny? ${joke}`, {
      model: "openai/gpt-4o-mini",
      outputSchema: z.object({ funny: z.boolean() }),
    });
    return { joke, funny };
  },
});

describe("promptLlm", () => {
  it("returns text, then a schema-validated object, records usage, and never calls the model again on replay", async () => {
    mock.reply(openAiReply("Why did the queue cross the road?"), openAiReply('{"funny": true}'));
    const log = new MemoryEventLog();
    expect(await executeWorkflow(jokeFlow, { topic: "queues" }, { eventLog: log })).toEqual({
      status: "completed",
      output: { joke: "Why did the queue cross the road?", funny: true },
    });
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[1]!.body.response_format).toMatchObject({ type: "json_schema" });
    const completed = log.events.filter((e) => e.type === "step_completed");
    expect(completed.map((e) => (e as { stepId: string }).stepId)).toEqual(["llm#0", "llm#1"]);
    expect((completed[0] as { usage?: unknown }).usage).toEqual({ inputTokens: 11, outputTokens: 7 });

    log.events.splice(
      log.events.findIndex((e) => e.type === "run_completed"),
      1,
    );
    expect((await executeWorkflow(jokeFlow, { topic: "queues" }, { eventLog: log })).status).toBe("completed");
    expect(mock.requests).toHaveLength(2);
  });

  it("repairs an answer that misses the schema once, then fails with the issues", async () => {
    mock.reply(openAiReply("a joke"), openAiReply('{"funny": "very"}'), openAiReply('{"funny": false}'));
    expect(await executeWorkflow(jokeFlow, { topic: "x" })).toMatchObject({
      status: "completed",
      output: { funny: false },
    });
    const repair = mock.requests[2]!.body.messages as { role: string; content: string }[];
    expect(repair.at(-1)?.content).toContain("does not match the required JSON schema");

    mock.reply(openAiReply("a joke"), openAiReply("nope"), openAiReply("still nope"));
    const failed = await executeWorkflow(jokeFlow, { topic: "y" });
    expect(failed.status).toBe("failed");
    if (failed.status === "failed") expect(failed.error).toMatchObject({ code: "invalid_output" });
  });

  it("retries a rate-limited call no sooner than Retry-After", async () => {
    mock.reply({ status: 429, headers: { "retry-after": "30" }, body: { error: { message: "slow down" } } });
    const log = new MemoryEventLog();
    const t0 = Date.now();
    const first = await executeWorkflow(jokeFlow, { topic: "z" }, { eventLog: log, now: t0 });
    expect(first.status).toBe("suspended");
    const retrying = log.events.find((e) => e.type === "step_retrying") as {
      retryAt: number;
      error: { code?: string };
    };
    expect(retrying.error.code).toBe("provider_rate_limited");
    expect(retrying.retryAt - t0).toBeGreaterThanOrEqual(30_000);
    mock.reply(openAiReply("late joke"), openAiReply('{"funny": true}'));
    expect(await executeWorkflow(jokeFlow, { topic: "z" }, { eventLog: log, now: t0 + 31_000 })).toMatchObject({
      status: "completed",
    });
  });
});

describe("agents", () => {
  const calls: string[] = [];
  const lookupOrder = defineAction({
    slug: "lookup-order",
    description: "Finds an order by id",
    input: z.object({ orderId: z.string().describe("The order id") }),
    output: z.object({ status: z.string() }),
    run: async ({ orderId }) => {
      calls.push(`lookup ${orderId}`);
      return { status: "shipped" };
    },
  });
  const refundOrder = defineAction({
    slug: "refund-order",
    input: z.object({ orderId: z.string() }),
    output: z.object({ refunded: z.boolean() }),
    run: async ({ orderId }) => {
      calls.push(`refund ${orderId}`);
      return { refunded: true };
    },
  });
  const support = defineAgent({
    slug: "support",
    systemPrompt: "Help with orders.",
    model: "openai/gpt-4o-mini",
    tools: [lookupOrder, refundOrder],
  });
  const helpdesk = defineWorkflow({
    slug: "helpdesk",
    input: z.object({ message: z.string() }),
    output: z.string(),
    run: async ({ message }) => (await support.prompt({ message })).text,
  });

  it("runs the tool loop with each turn and tool call recorded as its own step", async () => {
    calls.length = 0;
    mock.reply(
      openAiReply(null, [{ id: "c1", name: "lookup-order", arguments: { orderId: "o-7" } }]),
      openAiReply(null, [{ id: "c2", name: "refund-order", arguments: { orderId: "o-7" } }]),
      openAiReply("Refunded o-7."),
    );
    const log = new MemoryEventLog();
    expect(await executeWorkflow(helpdesk, { message: "refund o-7" }, { eventLog: log })).toEqual({
      status: "completed",
      output: "Refunded o-7.",
    });
    expect(calls).toEqual(["lookup o-7", "refund o-7"]);
    const ids = log.events.filter((e) => e.type === "step_completed").map((e) => (e as { stepId: string }).stepId);
    expect(ids).toEqual([
      "support#0/session#0",
      "support#0/llm#0",
      "support#0/lookup-order#0",
      "support#0/llm#1",
      "support#0/refund-order#0",
      "support#0/llm#2",
      "support#0/session-save#0",
      "support#0",
    ]);
    const tool = (
      mock.requests[0]!.body.tools as {
        function: { name: string; parameters: { properties: Record<string, { description?: string }> } };
      }[]
    )[0]!;
    expect(tool.function.parameters.properties.orderId?.description).toBe("The order id");
  });

  it("resumes an agent cut off after its first tool call without calling that tool again", async () => {
    calls.length = 0;
    mock.reply(
      openAiReply(null, [{ id: "c1", name: "lookup-order", arguments: { orderId: "o-8" } }]),
      openAiReply("It shipped."),
    );
    const log = new MemoryEventLog();
    await executeWorkflow(helpdesk, { message: "where is o-8" }, { eventLog: log });
    const cut = log.events.findIndex((e) => e.type === "step_completed" && e.stepId === "support#0/lookup-order#0");
    log.events.splice(cut + 1);
    calls.length = 0;
    mock.requests.length = 0;
    mock.reply(openAiReply("It shipped."));
    expect(await executeWorkflow(helpdesk, { message: "where is o-8" }, { eventLog: log })).toEqual({
      status: "completed",
      output: "It shipped.",
    });
    expect(calls).toEqual([]);
    expect(mock.requests).toHaveLength(1);
  });

  it("fails a workflow tool that tries to sleep, telling the model why", async () => {
    const napper = defineWorkflow({
      slug: "napper",
      input: z.object({}),
      output: z.string(),
      run: async (_input, ctx) => {
        await ctx.sleep("1h");
        return "rested";
      },
    });
    const agent = defineAgent({
      slug: "sleepy-agent",
      systemPrompt: "x",
      model: "openai/gpt-4o-mini",
      tools: [napper],
    });
    const wf = defineWorkflow({
      slug: "sleepy-wf",
      input: z.object({}),
      output: z.string(),
      run: async () => (await agent.prompt({ message: "nap" })).text,
    });
    mock.reply(openAiReply(null, [{ id: "c1", name: "napper", arguments: {} }]), openAiReply("could not nap"));
    expect(await executeWorkflow(wf, {})).toEqual({ status: "completed", output: "could not nap" });
    const toolResult = (mock.requests[1]!.body.messages as { role: string; content: string }[]).find(
      (m) => m.role === "tool",
    );
    expect(toolResult?.content).toContain("it runs as a tool of agent sleepy-agent");
  });

  it("continues a session when prompted again with its id", async () => {
    mock.reply(openAiReply("Hi Ada."), openAiReply("Your name is Ada."));
    const first = await support.prompt({ message: "I am Ada" });
    await support.prompt({ message: "What is my name?", sessionId: first.sessionId });
    const sent = mock.requests[1]!.body.messages as { role: string; content: string }[];
    expect(sent.map((m) => m.content)).toEqual(["Help with orders.", "I am Ada", "Hi Ada.", "What is my name?"]);
  });
});
