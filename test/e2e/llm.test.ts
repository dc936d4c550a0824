import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockLlmServer, openAiReply, startMockLlmServer } from "../support/mock-llm-server.ts";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

let mock: MockLlmServer;
let server: DevServer;

beforeAll(async () => {
  mock = await startMockLlmServer();
  server = await startDevServer({
    vars: { OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: mock.openAiBaseUrl, SUPPORT_WEBHOOK_TOKEN: "e2e-support" },
  });
});

afterAll(async () => {
  await server?.stop();
  await mock?.close();
});

const post = async (path: string, body: unknown) => {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe("LLM steps in the real Worker, against a local provider", () => {
  it("runs joke-flow: a text step then a schema step, with token usage summed on the run", async () => {
    mock.reply(openAiReply("Queues never cut in line."), openAiReply('{"funny":true,"audience":"engineers"}'));
    const { status, body } = await post("/workflows/joke-flow?wait=20", { topic: "queues" });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: "success",
      output: { joke: "Queues never cut in line.", rating: { funny: true, audience: "engineers" } },
    });
    expect(body.usage).toEqual({ inputTokens: 22, outputTokens: 14 });
    // The first call was offloaded: made from the queue consumer, and the record says so.
    const steps = body.steps as { name: string; offloaded?: boolean }[];
    expect(steps.map((s) => s.offloaded ?? false)).toEqual([true, false]);
    const sent = mock.requests.at(-1)!;
    expect(sent.headers.authorization).toBe("Bearer sk-e2e");
    expect(sent.body.model).toBe("gpt-4o-mini");
  });

  it("prompts the support agent over HTTP, calling its tools, and keeps the session", async () => {
    mock.reply(
      openAiReply(null, [{ id: "c1", name: "lookup-order", arguments: { orderId: "o-1" } }]),
      openAiReply("Order o-1 is on its way."),
    );
    const first = await post("/agents/support/prompt", { message: "Where is o-1?" });
    expect(first.status).toBe(200);
    expect(first.body.text).toBe("Order o-1 is on its way.");
    const toolMessage = (mock.requests.at(-1)!.body.messages as { role: string; content: string }[]).find(
      (m) => m.role === "tool",
    );
    expect(JSON.parse(toolMessage!.content)).toMatchObject({ orderId: "o-1" });
    const session = (await (await fetch(`${server.url}/agents/support/sessions/${first.body.sessionId}`)).json()) as {
      messages: unknown[];
    };
    expect(session.messages.length).toBe(5);
  });

  it("hands a webhook delivery to an attached agent, which prompts the model with it", async () => {
    mock.reply(openAiReply("We will look into it."));
    const before = mock.requests.length;
    const { status, body } = await post("/triggers/support?token=e2e-support", {
      message: "my parcel is late",
      from: "Ada",
    });
    expect(status).toBe(202);
    expect(body.runIds).toEqual([]);
    for (let i = 0; i < 100 && mock.requests.length === before; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const sent = mock.requests.at(-1)!.body.messages as { role: string; content: string }[];
    expect(sent.at(-1)).toEqual({ role: "user", content: "Ada writes: my parcel is late" });
    expect(sent[0]?.role).toBe("system");
  });
});
