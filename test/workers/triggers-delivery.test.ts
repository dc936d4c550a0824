// Trigger delivery: webhook auth and bodies, disabled crons, and fan-out to subscriptions; each test sets up its own state.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../src/env.ts";
import { runIdForKey } from "../../src/run/ids.ts";
import type { FanOutMessage } from "../../src/triggers-engine/dispatch.ts";
import { consumeFanOut } from "../../src/triggers-engine/fan-out-consumer.ts";
import { handleScheduled } from "../../src/triggers-engine/scheduled.ts";
import { request, testEnv, waitForStatus } from "./helpers.ts";

type Listed = { runs: { runId: string; trigger: { type: string; source?: string } }[] };
type TriggerView = { slug: string; enabled: boolean; lastFiredAt?: string; lastResult?: string };

async function runsFrom(workflow: string, source: string) {
  const listed = (await (await request(`/runs?workflow=${workflow}&limit=1000`)).json()) as Listed;
  return listed.runs.filter((r) => r.trigger.source === source);
}

async function triggerView(slug: string): Promise<TriggerView | undefined> {
  const { triggers } = (await (await request("/triggers")).json()) as { triggers: TriggerView[] };
  return triggers.find((t) => t.slug === slug);
}

/** The test env with the fan-out queue replaced by a recorder, to see exactly what was sent. */
function recordingFanOut() {
  const sent: FanOutMessage[] = [];
  const fanOut = {
    send: async (body: FanOutMessage) => {
      sent.push(body);
    },
    sendBatch: async (batch: Iterable<{ body: FanOutMessage }>) => {
      for (const message of batch) sent.push(message.body);
    },
  };
  return { sent, env: { ...testEnv, FANOUT: fanOut as unknown as Env["FANOUT"] } as Env };
}

function batchOf(messages: FanOutMessage[]) {
  return createMessageBatch<FanOutMessage>(
    "cairn-fanout",
    messages.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
}

describe("webhook token auth", () => {
  it("accepts the source's token from ?token= or the x-cairn-token header and refuses a wrong one with 401", async () => {
    expect((await request("/triggers/fixture-tokened?token=whsec-test", { json: {} })).status).toBe(202);
    const viaHeader = await request("/triggers/fixture-tokened", {
      json: {},
      headers: { "x-cairn-token": "whsec-test" },
    });
    expect(viaHeader.status).toBe(202);
    const wrong = await request("/triggers/fixture-tokened?token=whsec-tesT", { json: {} });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect((await request("/triggers/fixture-tokened", { json: {} })).status).toBe(401);
  });
});

describe("webhook bodies", () => {
  it("refuses with 400 a body that does not match the request schema of an endpoint's only source", async () => {
    const response = await request("/triggers/fixture-signups", { json: { mail: "not the field" } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
  });
});

describe("management routes", () => {
  it("need the API key, while webhook deliveries keep their own credentials", async () => {
    const secrets = testEnv as unknown as Record<string, string | undefined>;
    secrets.CAIRN_API_KEY = "mgmt-key";
    try {
      expect((await request("/triggers")).status).toBe(401);
      expect((await request("/triggers/fixture-paused/disable", { method: "POST" })).status).toBe(401);
      expect((await request("/triggers/fixture-paused/invoke", { method: "POST" })).status).toBe(401);
      expect((await request("/triggers/fixture-tokened?token=whsec-test", { json: {} })).status).toBe(202);
      const listed = await request("/triggers", { headers: { authorization: "Bearer mgmt-key" } });
      expect(listed.status).toBe(200);
      const { triggers } = (await listed.json()) as { triggers: { slug: string; attachments: unknown[] }[] };
      expect(triggers.find((t) => t.slug === "fixture-paused")).toMatchObject({
        kind: "cron",
        schedule: "13 6 * * *",
        timezone: "Asia/Tokyo",
        attachments: [{ id: "fixture-paused:fixture-echo", workflow: "fixture-echo" }],
      });
    } finally {
      delete secrets.CAIRN_API_KEY;
    }
  });
});

describe("disabled triggers", () => {
  // Each test starts from an enabled trigger, whatever the tests before it left.
  beforeEach(async () => {
    expect((await request("/triggers/fixture-paused/enable", { method: "POST" })).status).toBe(200);
  });

  it("starts nothing from a disabled cron in its due minute, and fires again once enabled", async () => {
    const before = await triggerView("fixture-paused");
    const runsBefore = (await runsFrom("fixture-echo", "fixture-paused")).length;
    expect((await request("/triggers/fixture-paused/disable", { method: "POST" })).status).toBe(200);
    // 06:13 in Tokyo on 2 March.
    await handleScheduled(testEnv, Date.parse("2026-03-01T21:13:00Z"));
    expect((await triggerView("fixture-paused"))?.lastFiredAt).toBe(before?.lastFiredAt);
    expect(await runsFrom("fixture-echo", "fixture-paused")).toHaveLength(runsBefore);

    await request("/triggers/fixture-paused/enable", { method: "POST" });
    await handleScheduled(testEnv, Date.parse("2026-03-02T21:13:00Z"));
    const fired = await triggerView("fixture-paused");
    expect(fired).toMatchObject({ enabled: true, lastResult: "started 1" });
    expect(fired?.lastFiredAt).toBeDefined();
    expect(fired?.lastFiredAt).not.toBe(before?.lastFiredAt);
    await vi.waitFor(async () => expect(await runsFrom("fixture-echo", "fixture-paused")).toHaveLength(runsBefore + 1));
  });

  it("stores the enabled flag in the trigger-state Durable Object, where a deploy does not reset it", async () => {
    const state = testEnv.TRIGGERS.get(testEnv.TRIGGERS.idFromName("triggers"));
    expect(await state.states(["fixture-paused"])).toMatchObject([{ slug: "fixture-paused", enabled: true }]);
    await request("/triggers/fixture-paused/disable", { method: "POST" });
    expect(await state.states(["fixture-paused"])).toMatchObject([{ slug: "fixture-paused", enabled: false }]);
    await request("/triggers/fixture-paused/enable", { method: "POST" });
    expect(await state.states(["fixture-paused"])).toMatchObject([{ enabled: true }]);
  });
});

describe("fan-out", () => {
  type Subscription = { id: string; subscriber: string; enabled: boolean };

  async function subscribe(subscriber: string) {
    const response = await request("/workflows/fixture-digest/subscriptions", { json: { subscriber } });
    expect(response.status).toBe(201);
    return (await response.json()) as Subscription;
  }

  async function allSubscriptions(): Promise<Subscription[]> {
    const listed = (await (await request("/workflows/fixture-digest/subscriptions?limit=1000")).json()) as {
      subscriptions: Subscription[];
    };
    return listed.subscriptions;
  }

  // Every test starts with no subscriptions to fixture-digest: the counts below are exact.
  beforeEach(async () => {
    for (const s of await allSubscriptions())
      expect((await request(`/workflows/fixture-digest/subscriptions/${s.id}`, { method: "DELETE" })).status).toBe(200);
    expect(await allSubscriptions()).toEqual([]);
  });

  it("sends one message per enabled subscription, and a repeated scheduled event starts no second run for any", async () => {
    const subs = await Promise.all(["ann", "ben", "cat", "dan"].map(subscribe));
    const off = subs[3]!;
    await request(`/workflows/fixture-digest/subscriptions/${off.id}`, { method: "PATCH", json: { enabled: false } });

    const { sent, env } = recordingFanOut();
    const minute = Date.parse("2027-01-01T03:07:00Z");
    await handleScheduled(env, minute);
    await handleScheduled(env, minute + 20_000); // the same minute, delivered twice
    expect(sent).toHaveLength(6);
    expect(new Set(sent.map((m) => m.subscription.subscriber))).toEqual(new Set(["ann", "ben", "cat"]));
    const keys = sent.map((m) => m.key);
    expect(new Set(keys).size).toBe(3);

    // Every message reaches the consumer, redeliveries included.
    const batch = batchOf(sent);
    await consumeFanOut(batch, testEnv);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toHaveLength(6);
    expect(result.retryMessages).toEqual([]);

    const runIds = [...new Set(await Promise.all(keys.map((k) => runIdForKey("trigger:fixture-digest", k))))];
    expect(runIds).toHaveLength(3);
    const outputs = await Promise.all(runIds.map(async (id) => (await waitForStatus(id, ["success"])).output));
    expect(outputs).toEqual(
      expect.arrayContaining(["ann", "ben", "cat"].map((subscriber) => ({ subscriber, edition: "new-year" }))),
    );
    await vi.waitFor(async () => {
      const listed = (await runsFrom("fixture-digest", "fixture-digest-cron")).map((r) => r.runId);
      expect(listed.filter((id) => runIds.includes(id)).sort()).toEqual([...runIds].sort());
    });
  });

  it("sends nothing once every subscription is disabled or deleted", async () => {
    const [deleted, disabled] = await Promise.all(["gone", "paused"].map(subscribe));
    expect((await request(`/workflows/fixture-digest/subscriptions/${deleted!.id}`, { method: "DELETE" })).status).toBe(
      200,
    );
    expect((await request(`/workflows/fixture-digest/subscriptions/${deleted!.id}`, { method: "DELETE" })).status).toBe(
      404,
    );
    await request(`/workflows/fixture-digest/subscriptions/${disabled!.id}`, {
      method: "PATCH",
      json: { enabled: false },
    });
    expect(await allSubscriptions()).toEqual([expect.objectContaining({ id: disabled!.id, enabled: false })]);
    const { sent, env } = recordingFanOut();
    await handleScheduled(env, Date.parse("2028-01-01T03:07:00Z"));
    expect(sent).toEqual([]);
    // The same minute with the subscription enabled again does send: nothing above passed by accident.
    await request(`/workflows/fixture-digest/subscriptions/${disabled!.id}`, {
      method: "PATCH",
      json: { enabled: true },
    });
    await handleScheduled(env, Date.parse("2029-01-01T03:07:00Z"));
    expect(sent.map((m) => m.subscription.subscriber)).toEqual(["paused"]);
  });

  it("pages subscriptions with a cursor", async () => {
    for (const name of ["p1", "p2", "p3"]) await subscribe(`page-${name}`);
    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 10; page++) {
      const body = (await (
        await request(`/workflows/fixture-digest/subscriptions?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
      ).json()) as { subscriptions: { subscriber: string }[]; next?: string };
      expect(body.subscriptions.length).toBeLessThanOrEqual(2);
      seen.push(...body.subscriptions.map((s) => s.subscriber));
      if (!body.next) break;
      cursor = body.next;
    }
    expect([...seen].sort()).toEqual(["page-p1", "page-p2", "page-p3"]);
  });
  it("retries a message whose run could not be started, and acks one whose workflow no longer exists", async () => {
    const unavailable = {
      ...testEnv,
      RUNS: {
        idFromName: () => {
          throw new Error("Durable Object unavailable");
        },
      },
    } as unknown as Env;
    const message = (workflow: string): FanOutMessage => ({
      workflow,
      input: { edition: "x" },
      trigger: { type: "cron", source: "fixture-digest-cron", deliveryId: crypto.randomUUID() },
      subscription: { id: "sub_retry", subscriber: "retry" },
      key: `retry-${crypto.randomUUID()}`,
    });
    const batch = batchOf([message("fixture-digest"), message("removed-workflow")]);
    await consumeFanOut(batch, unavailable);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["msg-0"]);
    expect(result.explicitAcks).toEqual(["msg-1"]);
  });
});
