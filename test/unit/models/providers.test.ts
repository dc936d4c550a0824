import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { ModelClient } from "../../../sdk/engine/model-port.ts";
import { createModelClient } from "../../../src/models/model-router.ts";
import { ProviderError } from "../../../src/models/provider-error.ts";
import { anthropicReply, type MockLlmServer, openAiReply, startMockLlmServer } from "../../support/mock-llm-server.ts";

let mock: MockLlmServer;
let client: ModelClient;

beforeAll(async () => {
  mock = await startMockLlmServer();
  client = createModelClient(() => ({
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: mock.openAiBaseUrl,
    ANTHROPIC_API_KEY: "ant-test",
    ANTHROPIC_BASE_URL: mock.url,
  }));
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.requests.length = 0;
});

const tools = [
  {
    name: "lookup-order",
    description: "Finds an order",
    parameters: z.toJSONSchema(z.object({ orderId: z.string() })),
  },
];

describe("OpenAI Chat Completions client", () => {
  it("sends the model, messages, tools and JSON-schema response format, and reads tool calls and usage", async () => {
    mock.reply(openAiReply(null, [{ id: "call_1", name: "lookup-order", arguments: { orderId: "o-1" } }]));
    const response = await client.complete({
      model: "openai/gpt-4o-mini",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "where is o-1?" },
      ],
      tools,
      responseSchema: { name: "answer", schema: { type: "object" } },
      maxTokens: 50,
    });
    const sent = mock.requests[0]!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.headers.authorization).toBe("Bearer sk-test");
    expect(sent.body).toMatchObject({
      model: "gpt-4o-mini",
      max_tokens: 50,
      tools: [{ type: "function", function: { name: "lookup-order" } }],
      response_format: { type: "json_schema", json_schema: { name: "answer" } },
    });
    expect(response.toolCalls).toEqual([{ id: "call_1", name: "lookup-order", arguments: { orderId: "o-1" } }]);
    expect(response.usage).toEqual({ inputTokens: 11, outputTokens: 7 });
  });

  it("sends earlier tool calls and their results back in the protocol's shape", async () => {
    mock.reply(openAiReply("done"));
    await client.complete({
      model: "openai/gpt-4o-mini",
      messages: [
        { role: "user", content: "go" },
        {
          role: "assistant",
          content: "",
          toolCalls: [{ id: "c1", name: "lookup-order", arguments: { orderId: "x" } }],
        },
        { role: "tool", toolCallId: "c1", name: "lookup-order", content: '{"status":"shipped"}' },
      ],
    });
    const messages = mock.requests[0]!.body.messages as Record<string, unknown>[];
    expect(messages[1]).toMatchObject({
      role: "assistant",
      tool_calls: [{ id: "c1", function: { name: "lookup-order", arguments: '{"orderId":"x"}' } }],
    });
    expect(messages[2]).toEqual({ role: "tool", tool_call_id: "c1", content: '{"status":"shipped"}' });
  });

  it("marks 429 as rate limited with Retry-After, 500 as unavailable, 400 as non-retryable, bad JSON as a bad response", async () => {
    mock.reply({ status: 429, headers: { "retry-after": "7" }, body: { error: { message: "slow down" } } });
    await expect(client.complete({ model: "openai/x", messages: [] })).rejects.toMatchObject({
      code: "provider_rate_limited",
      retryAfterMs: 7000,
      message: "openai: slow down",
    });
    mock.reply({ status: 500, body: { error: { message: "boom" } } });
    await expect(client.complete({ model: "openai/x", messages: [] })).rejects.toMatchObject({
      code: "provider_unavailable",
      status: 500,
    });
    mock.reply({ status: 400, body: { error: { message: "bad model" } } });
    await expect(client.complete({ model: "openai/x", messages: [] })).rejects.toMatchObject({
      code: "non_retryable",
      message: "openai: bad model",
    });
    mock.reply({ body: "{not json" });
    await expect(client.complete({ model: "openai/x", messages: [] })).rejects.toMatchObject({
      code: "provider_bad_response",
    });
  });

  it("routes other vendors through the configured OpenAI-compatible gateway with the full model id", async () => {
    mock.reply(openAiReply("hi"));
    await client.complete({ model: "deepseek/deepseek-v4-flash", messages: [{ role: "user", content: "hi" }] });
    expect(mock.requests[0]!.body.model).toBe("deepseek/deepseek-v4-flash");
  });
});

describe("Anthropic Messages client", () => {
  it("sends the system prompt apart, tools with input_schema, and the API version header", async () => {
    mock.reply(anthropicReply("", [{ id: "tu_1", name: "lookup-order", input: { orderId: "o-2" } }]));
    const response = await client.complete({
      model: "anthropic/claude-sonnet-4-5",
      messages: [
        { role: "system", content: "be kind" },
        { role: "user", content: "o-2?" },
      ],
      tools,
    });
    const sent = mock.requests[0]!;
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("ant-test");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.body).toMatchObject({
      model: "claude-sonnet-4-5",
      system: "be kind",
      max_tokens: 1024,
      tools: [{ name: "lookup-order", input_schema: { type: "object" } }],
    });
    expect(response.toolCalls).toEqual([{ id: "tu_1", name: "lookup-order", arguments: { orderId: "o-2" } }]);
    expect(response.usage).toEqual({ inputTokens: 13, outputTokens: 5 });
  });

  it("returns tool results as tool_result blocks and reads structured output from the forced answer tool", async () => {
    mock.reply(anthropicReply("", [{ id: "tu_9", name: "respond", input: { funny: true } }]));
    const response = await client.complete({
      model: "anthropic/claude-sonnet-4-5",
      messages: [
        { role: "user", content: "go" },
        { role: "assistant", content: "", toolCalls: [{ id: "tu_1", name: "lookup-order", arguments: {} }] },
        { role: "tool", toolCallId: "tu_1", name: "lookup-order", content: "{}" },
      ],
      responseSchema: { name: "answer", schema: { type: "object" } },
    });
    const body = mock.requests[0]!.body as { messages: { role: string; content: unknown }[]; tool_choice: unknown };
    expect(body.messages[2]).toEqual({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "tu_1", content: "{}" }],
    });
    expect(body.tool_choice).toEqual({ type: "tool", name: "respond" });
    expect(JSON.parse(response.text)).toEqual({ funny: true });
    expect(response.toolCalls).toEqual([]);
  });
});

describe("model routing", () => {
  it("names the missing secret", async () => {
    const bare = createModelClient(() => ({}));
    const error = await Promise.resolve()
      .then(() => bare.complete({ model: "openai/gpt-4o-mini", messages: [] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).code).toBe("missing_secret");
    expect((error as Error).message).toContain("OPENAI_API_KEY");
  });

  it("calls Workers AI through the AI binding (a test double of the binding interface)", async () => {
    const calls: unknown[] = [];
    const ai = {
      run: async (model: string, input: unknown) => {
        calls.push({ model, input });
        return { response: "from workers ai", usage: { prompt_tokens: 3, completion_tokens: 2 } };
      },
    };
    const response = await createModelClient(() => ({ AI: ai })).complete({
      model: "workers-ai/@cf/meta/llama-3.1-8b-instruct",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(calls[0]).toMatchObject({
      model: "@cf/meta/llama-3.1-8b-instruct",
      input: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(response).toMatchObject({ text: "from workers ai", usage: { inputTokens: 3, outputTokens: 2 } });
  });
});
