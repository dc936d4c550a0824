import { describe, expect, it } from "vitest";
import type { FanOutMessage } from "../../src/triggers-engine/dispatch.ts";
import { consumeFanOut } from "../../src/triggers-engine/fan-out-consumer.ts";
import { createMessageBatch } from "cloudflare:test";
import { runIdForKey } from "../../src/run/ids.ts";
import { request, startRun, testEnv, waitForStatus } from "./helpers.ts";

const SUBSCRIBER_TOKEN = "xoxb-sub-0123456789-secret";

async function runAs(subscription: { id: string; subscriber: string } | undefined) {
  if (!subscription) return startRun("fixture-per-subscriber", { useSlack: true });
  const key = `cred-${crypto.randomUUID()}`;
  const message: FanOutMessage = {
    workflow: "fixture-per-subscriber",
    input: { useSlack: true },
    trigger: { type: "cron", source: "fixture-fan-out", deliveryId: key },
    subscription,
    key,
  };
  await consumeFanOut(
    createMessageBatch<FanOutMessage>("cairn-fanout", [{ id: key, timestamp: new Date(), attempts: 1, body: message }]),
    testEnv,
  );
  // Fan-out run ids derive from the message's key, so the test can name the run it expects.
  return runIdForKey("trigger:fixture-per-subscriber", key);
}

describe("credentials", () => {
  it("uses the subscriber's own value first and never writes it to the run record or events", async () => {
    const sub = (await (
      await request("/workflows/fixture-per-subscriber/subscriptions", {
        json: { subscriber: `cred-${crypto.randomUUID()}`, credentials: { slack: { token: SUBSCRIBER_TOKEN } } },
      })
    ).json()) as { id: string; subscriber: string };
    const runId = await runAs({ id: sub.id, subscriber: sub.subscriber });
    const run = await waitForStatus(runId, ["success", "failed"]);
    expect(run.output).toMatchObject({ tokenKind: "subscriber" });
    const everything = JSON.stringify(run) + (await (await request(`/runs/${runId}/events`)).text());
    expect(everything).not.toContain(SUBSCRIBER_TOKEN);
    const listed = await (await request("/workflows/fixture-per-subscriber/subscriptions?limit=1000")).text();
    expect(listed).not.toContain(SUBSCRIBER_TOKEN);
  });

  it("falls back to the Worker's secret, and fails clearly naming the secret when neither is set", async () => {
    const without = await startRun("fixture-per-subscriber", { useSlack: true });
    const failed = await waitForStatus(without, ["success", "failed"]);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatchObject({ code: "missing_credential" });
    expect(failed.error?.message).toContain("SLACK_TOKEN");

    (testEnv as unknown as Record<string, string>).SLACK_TOKEN = "xoxb-worker-token";
    try {
      const withSecret = await startRun("fixture-per-subscriber", { useSlack: true, note: "w" });
      expect((await waitForStatus(withSecret, ["success", "failed"])).output).toMatchObject({ tokenKind: "worker" });
    } finally {
      delete (testEnv as unknown as Record<string, string>).SLACK_TOKEN;
    }
  });
});
