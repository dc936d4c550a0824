import { createMessageBatch } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { runIdForKey } from "../../src/run/ids.ts";
import type { FanOutMessage } from "../../src/triggers-engine/dispatch.ts";
import { consumeFanOut } from "../../src/triggers-engine/fan-out-consumer.ts";
import { FAKE_PROVIDER_ORIGIN, workerFakeProviders } from "../fixtures/integration-fixtures.ts";
import { fireAlarmsUntil, request, runStub, startRun, testEnv, waitForStatus } from "./helpers.ts";

const SLACK_BASE = `${FAKE_PROVIDER_ORIGIN}/slack/api/`;
const secrets = testEnv as unknown as Record<string, string | undefined>;

type LoggedEvent = { type: string; at: number; stepId?: string; retryAt?: number; error?: { code?: string } };

async function eventsOf(runId: string): Promise<{ text: string; events: LoggedEvent[] }> {
  const text = await (await request(`/runs/${runId}/events?limit=1000`)).text();
  return { text, events: (JSON.parse(text) as { events: LoggedEvent[] }).events };
}

/** Resolves with the first `type` event once the run's log holds it, woken by each append (no polling). */
async function appended(runId: string, type: string): Promise<LoggedEvent> {
  for (;;) {
    const { events } = await eventsOf(runId);
    const found = events.find((event) => event.type === type);
    if (found) return found;
    await runStub(runId).waitForEvents(events.length, 5_000);
  }
}

/** Starts the subscriber's run the way a trigger's fan-out does, and names it. */
async function runForSubscription(subscription: { id: string; subscriber: string }, input: unknown) {
  const key = `slack-${crypto.randomUUID()}`;
  const message: FanOutMessage = {
    workflow: "fixture-slack-per-subscriber",
    input,
    trigger: { type: "cron", source: "fixture-fan-out", deliveryId: key },
    subscription,
    key,
  };
  await consumeFanOut(
    createMessageBatch<FanOutMessage>("cairn-fanout", [{ id: key, timestamp: new Date(), attempts: 1, body: message }]),
    testEnv,
  );
  return runIdForKey("trigger:fixture-slack-per-subscriber", key);
}

afterEach(() => {
  workerFakeProviders.requests.length = 0;
  delete secrets.SLACK_TOKEN;
  delete secrets.SLACK_BASE_URL;
});

describe("integrations in a run", () => {
  it("posts each subscriber's run with that subscriber's own Slack token, kept out of the log", async () => {
    const tokens = [`xoxb-a-${crypto.randomUUID()}`, `xoxb-b-${crypto.randomUUID()}`];
    const runs: { runId: string; channel: string }[] = [];
    for (const token of tokens) {
      const created = await request("/workflows/fixture-slack-per-subscriber/subscriptions", {
        json: {
          subscriber: `team-${crypto.randomUUID()}`,
          credentials: { slack: { token, baseUrl: SLACK_BASE } },
        },
      });
      const subscription = (await created.json()) as { id: string; subscriber: string };
      const channel = `#${subscription.subscriber}`;
      runs.push({ runId: await runForSubscription(subscription, { channel, text: "deployed" }), channel });
    }
    for (const [index, { runId, channel }] of runs.entries()) {
      const run = await waitForStatus(runId, ["success", "failed"]);
      expect(run).toMatchObject({ status: "success", output: { channel: "C0123ABCD" } });
      const { text } = await eventsOf(runId);
      for (const token of tokens) expect(JSON.stringify(run) + text).not.toContain(token);
      // This run's request carried this subscriber's token, not the other's.
      const sent = workerFakeProviders.requests.filter((req) => JSON.parse(req.body).channel === channel);
      expect(sent.map((req) => [req.path, req.headers.authorization])).toEqual([
        ["/slack/api/chat.postMessage", `Bearer ${tokens[index]}`],
      ]);
    }
    expect(workerFakeProviders.requests.map((req) => req.headers.authorization).sort()).toEqual(
      tokens.map((token) => `Bearer ${token}`).sort(),
    );
  });

  it("retries a rate-limited post from its alarm no sooner than Retry-After, using the Worker's secret", async () => {
    secrets.SLACK_TOKEN = "xoxb-worker-secret-token";
    secrets.SLACK_BASE_URL = SLACK_BASE;
    workerFakeProviders.queue({
      status: 429,
      headers: { "retry-after": "120" },
      body: { ok: false, error: "ratelimited" },
    });
    const runId = await startRun("fixture-slack-per-subscriber", { channel: "#ops", text: "hello" });
    const retrying = await appended(runId, "step_retrying");
    expect(retrying.error?.code).toBe("provider_rate_limited");
    // Measured from the attempt's start, which precedes the failure the retry time is counted from.
    const started = (await eventsOf(runId)).events.find((event) => event.type === "step_started");
    expect((retrying.retryAt ?? 0) - (started?.at ?? Number.POSITIVE_INFINITY)).toBeGreaterThanOrEqual(120_000);

    const run = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(run).toMatchObject({ status: "success", output: { channel: "C0123ABCD" } });
    expect(workerFakeProviders.requests.map((req) => req.headers.authorization)).toEqual([
      "Bearer xoxb-worker-secret-token",
      "Bearer xoxb-worker-secret-token",
    ]);
    expect((await eventsOf(runId)).text).not.toContain("xoxb-worker-secret-token");
  });

  it("fails the step at once on Slack's ok: false, with the error code and no retry", async () => {
    secrets.SLACK_TOKEN = "xoxb-worker-secret-token";
    secrets.SLACK_BASE_URL = SLACK_BASE;
    const runId = await startRun("fixture-slack-per-subscriber", { channel: "#missing", text: "hello" });
    const run = await waitForStatus(runId, ["success", "failed"]);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ name: "NonRetryableError", code: "non_retryable" });
    expect(run.error?.message).toContain("channel_not_found");
    expect((await eventsOf(runId)).events.some((event) => event.type === "step_retrying")).toBe(false);
  });
});
