import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NonRetryableError } from "cairn-workflows/action";
import { slackApprovalMessage, slackSendMessage, slackUpdateMessage } from "cairn-workflows/integrations/slack";
import { executeWorkflow, MemoryEventLog, resumeHook } from "cairn-workflows/testing";
import { slackApproval, slackPerSubscriber } from "../fixtures/integration-fixtures.ts";
import { type FakeProviderServer, startFakeProviderServer } from "../support/fake-provider-server.ts";

const TOKEN = "xoxb-1111-2222-secretsecret";
let slack: FakeProviderServer;

beforeAll(async () => {
  slack = await startFakeProviderServer();
  process.env.SLACK_TOKEN = TOKEN;
  process.env.SLACK_API_URL = `${slack.url}/slack/api/`;
});
afterAll(async () => {
  delete process.env.SLACK_TOKEN;
  delete process.env.SLACK_API_URL;
  await slack.close();
});
afterEach(() => {
  slack.requests.length = 0;
});

describe("slack integration", () => {
  it("posts JSON to chat.postMessage with the bot token as a Bearer header and returns the message ts", async () => {
    const posted = await slackSendMessage.run({ channel: "#general", text: "hi", thread_ts: "1.2" });
    expect(posted).toEqual({ channel: "C0123ABCD", ts: expect.stringMatching(/^\d+\.\d+$/) });
    const [request] = slack.requests;
    expect(request).toMatchObject({ method: "POST", path: "/slack/api/chat.postMessage" });
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(request?.body ?? "")).toEqual({ channel: "#general", text: "hi", thread_ts: "1.2" });
  });

  it("updates a message through chat.update with its channel and ts", async () => {
    const updated = await slackUpdateMessage.run({ channel: "C0123ABCD", ts: "1700000000.000001", text: "done" });
    expect(updated).toEqual({ channel: "C0123ABCD", ts: "1700000000.000001" });
    expect(slack.requests[0]?.path).toBe("/slack/api/chat.update");
    expect(JSON.parse(slack.requests[0]?.body ?? "")).toMatchObject({ ts: "1700000000.000001", text: "done" });
  });

  it("fails at once with NonRetryableError when Slack answers HTTP 200 with ok: false", async () => {
    const log = new MemoryEventLog();
    const result = await executeWorkflow(slackPerSubscriber, { channel: "#missing", text: "hi" }, { eventLog: log });
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.error).toBeInstanceOf(NonRetryableError);
    expect(result.error.message).toContain("channel_not_found");
    expect(slack.requests).toHaveLength(1);
    expect(log.events.filter((event) => event.type === "step_retrying")).toHaveLength(0);
  });

  it("retries a 429 no sooner than its Retry-After, then records the posted message", async () => {
    slack.queue({ status: 429, headers: { "retry-after": "30" }, body: { ok: false, error: "ratelimited" } });
    const log = new MemoryEventLog();
    const now = Date.now();
    const first = await executeWorkflow(slackPerSubscriber, { channel: "#ops", text: "hi" }, { eventLog: log, now });
    expect(first.status).toBe("suspended");
    const retry = first.status === "suspended" ? first.items.find((item) => item.kind === "retry") : undefined;
    // The policy's own first backoff is 1 s; Retry-After asks for 30 s and wins.
    expect(retry && "wakeAt" in retry ? retry.wakeAt - now : 0).toBeGreaterThanOrEqual(30_000);
    const retrying = log.events.find((event) => event.type === "step_retrying");
    expect(retrying).toMatchObject({ error: { code: "provider_rate_limited" } });
    const second = await executeWorkflow(
      slackPerSubscriber,
      { channel: "#ops", text: "hi" },
      {
        eventLog: log,
        now: retry && "wakeAt" in retry ? retry.wakeAt : now,
      },
    );
    expect(second).toMatchObject({ status: "completed", output: { channel: "C0123ABCD" } });
    expect(slack.requests).toHaveLength(2);
  });

  it("keeps the token out of the error and every stored event even when the provider echoes it", async () => {
    slack.queue({ status: 401, body: `upstream rejected Authorization: Bearer ${TOKEN}` });
    const log = new MemoryEventLog();
    const result = await executeWorkflow(slackPerSubscriber, { channel: "#ops", text: "hi" }, { eventLog: log });
    expect(result.status).toBe("failed");
    if (result.status === "failed") {
      expect(result.error.message).toContain("[redacted]");
      expect(`${result.error.message}${result.error.stack}`).not.toContain(TOKEN);
    }
    expect(JSON.stringify(log.events)).not.toContain(TOKEN);
    expect(JSON.stringify(log.events)).not.toContain("secretsecret");
  });

  it("renders approval buttons that open the hook's resume URL with each choice's values", () => {
    const message = slackApprovalMessage({
      text: "Ship v2?",
      hook: { resumeUrl: "https://cairn.example/hooks/run.abc" },
      buttons: [
        { label: "Ship", values: { approved: true, note: "go" }, style: "primary" },
        { label: "Hold", values: { approved: false } },
      ],
    });
    expect(message.text).toBe("Ship v2?");
    expect(message.blocks[1]).toMatchObject({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Ship" },
          style: "primary",
          url: "https://cairn.example/hooks/run.abc?approved=true&note=go",
        },
        {
          type: "button",
          text: { type: "plain_text", text: "Hold" },
          url: "https://cairn.example/hooks/run.abc?approved=false",
        },
      ],
    });
  });

  it("runs an approval: posts the buttons, waits on the hook, then replaces the buttons with the decision", async () => {
    const log = new MemoryEventLog();
    const input = { channel: "#approvals", question: "Deploy?" };
    const first = await executeWorkflow(slackApproval, input, { eventLog: log });
    const hook = first.status === "suspended" ? first.items.find((item) => item.kind === "hook") : undefined;
    if (hook?.kind !== "hook") throw new Error(`expected a hook wait, got ${JSON.stringify(first)}`);
    const posted = JSON.parse(slack.requests[0]?.body ?? "{}") as { blocks: { elements?: { url: string }[] }[] };
    expect(posted.blocks[1]?.elements?.map((button) => button.url)).toEqual([
      `${hook.resumeUrl}?approved=true`,
      `${hook.resumeUrl}?approved=false`,
    ]);
    resumeHook(log, hook.token, { approved: true });
    const done = await executeWorkflow(slackApproval, input, { eventLog: log });
    expect(done).toMatchObject({ status: "completed", output: { approved: true } });
    expect(slack.requests.map((request) => request.path)).toEqual([
      "/slack/api/chat.postMessage",
      "/slack/api/chat.update",
    ]);
    expect(JSON.parse(slack.requests[1]?.body ?? "{}")).toMatchObject({ text: "Approved", blocks: [] });
  });

  it("prefers the credential's baseUrl over SLACK_API_URL", async () => {
    const other = await startFakeProviderServer();
    process.env.SLACK_BASE_URL = `${other.url}/slack/api`;
    try {
      await slackSendMessage.run({ channel: "#general", text: "hi" });
      expect(other.requests.map((request) => request.path)).toEqual(["/slack/api/chat.postMessage"]);
      expect(slack.requests).toHaveLength(0);
    } finally {
      delete process.env.SLACK_BASE_URL;
      await other.close();
    }
  });
});
