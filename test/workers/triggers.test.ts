import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { hmacHex } from "../../src/triggers-engine/signature.ts";
import type { FanOutMessage } from "../../src/triggers-engine/dispatch.ts";
import { consumeFanOut } from "../../src/triggers-engine/fan-out-consumer.ts";
import { inbox } from "../fixtures/triggers.ts";
import { getRun, request, testEnv, waitForStatus } from "./helpers.ts";

type Listed = { runs: { runId: string; trigger: { type: string; source?: string } }[] };
const worker = exports as unknown as {
  default: { scheduled(options: { scheduledTime: Date; cron: string }): Promise<unknown> };
};

async function runsOf(workflow: string): Promise<Listed["runs"]> {
  return ((await (await request(`/runs?workflow=${workflow}&limit=1000`)).json()) as Listed).runs;
}

async function scheduled(at: string) {
  // The Worker's real scheduled() handler, as the runtime's cron would call it.
  await worker.default.scheduled({ scheduledTime: new Date(at), cron: "* * * * *" });
}

describe("webhook sources", () => {
  it("routes a shared endpoint to the source whose filter matches, and skips what none matches", async () => {
    const a = await request("/triggers/fixture-events", { json: { type: "a", n: 7 } });
    expect(a.status).toBe(202);
    const { runIds } = (await a.json()) as { runIds: string[] };
    expect(runIds).toHaveLength(1);
    const run = await waitForStatus(runIds[0]!, ["success", "failed"]);
    expect(run.output).toEqual({ kind: "A:a", n: 7 });
    expect((await getRun(runIds[0]!)) as unknown as { trigger: unknown }).toMatchObject({
      trigger: { type: "webhook", source: "fixture-event-a" },
    });

    const none = await request("/triggers/fixture-events", { json: { type: "zzz" } });
    expect(none.status).toBe(200);
    expect(await none.json()).toEqual({ ok: true, skipped: true });
  });

  it("starts no second run for a repeated delivery id", async () => {
    const headers = { "x-delivery-id": crypto.randomUUID() };
    const first = (await (await request("/triggers/fixture-events", { json: { type: "a" }, headers })).json()) as {
      runIds: string[];
    };
    const second = (await (await request("/triggers/fixture-events", { json: { type: "a" }, headers })).json()) as {
      runIds: string[];
    };
    expect(second.runIds).toEqual(first.runIds);
  });

  it("accepts a valid HMAC signature and refuses a bad or stale one with 401, starting nothing", async () => {
    const body = JSON.stringify({ hello: "world" });
    const now = Math.floor(Date.now() / 1000);
    const sign = async (timestamp: number, text: string) =>
      `sha256=${await hmacHex("whsec-test", `${timestamp}.${text}`)}`;
    const before = (await runsOf("fixture-echo")).length;
    const post = (signature: string, timestamp: number) =>
      request("/triggers/fixture-signed", {
        method: "POST",
        body,
        headers: { "content-type": "application/json", "x-signature": signature, "x-timestamp": String(timestamp) },
      });
    expect((await post(await sign(now, body), now)).status).toBe(202);
    expect((await post(await sign(now, `${body} `), now)).status).toBe(401);
    expect((await post(await sign(now - 3600, body), now - 3600)).status).toBe(401);
    expect((await post("sha256=00", now)).status).toBe(401);
    await vi.waitFor(async () => expect((await runsOf("fixture-echo")).length).toBe(before + 1));
  });

  it("answers 404 for an endpoint no source listens on", async () => {
    const response = await request("/triggers/nobody-here", { json: {} });
    expect(response.status).toBe(404);
  });
});

describe("cron and poll sources", () => {
  it("fires a cron in its own time zone, once per minute even if the event repeats", async () => {
    const count = async () =>
      (await runsOf("fixture-echo")).filter((r) => r.trigger.source === "fixture-morning").length;
    const before = await count();
    await scheduled("2026-12-01T09:00:00Z"); // 04:00 in New York: not due
    await scheduled("2026-12-01T14:00:00Z"); // 09:00 in New York: due
    await scheduled("2026-12-01T14:00:30Z"); // the same minute again
    await vi.waitFor(async () => expect(await count()).toBe(before + 1));
  });

  it("advances the poll cursor only after the tick's runs started, so a failed tick is delivered again", async () => {
    const slug = "fixture-poll";
    inbox.items = [1, 2];
    await request(`/triggers/${slug}/invoke`, { method: "POST" });
    inbox.items = [1, 2, 3];
    inbox.breakNext = true;
    const broken = (await (await request(`/triggers/${slug}/invoke`, { method: "POST" })).json()) as {
      failures: unknown[];
    };
    expect(broken.failures).toHaveLength(1);
    const retried = (await (await request(`/triggers/${slug}/invoke`, { method: "POST" })).json()) as {
      runIds: string[];
    };
    expect(retried.runIds).toHaveLength(1);
    expect((await waitForStatus(retried.runIds[0]!, ["success"])).output).toEqual({ kind: "poll", n: 1 });
    const empty = (await (await request(`/triggers/${slug}/invoke`, { method: "POST" })).json()) as {
      skipped: boolean;
    };
    expect(empty.skipped).toBe(true);
  });

  it("skips a disabled trigger until it is enabled again", async () => {
    expect((await request("/triggers/fixture-event-b/disable", { method: "POST" })).status).toBe(200);
    const skipped = await request("/triggers/fixture-events", { json: { type: "b" } });
    expect(await skipped.json()).toEqual({ ok: true, skipped: true });
    await request("/triggers/fixture-event-b/enable", { method: "POST" });
    expect((await request("/triggers/fixture-events", { json: { type: "b" } })).status).toBe(202);
    const list = (await (await request("/triggers")).json()) as { triggers: { slug: string; enabled: boolean }[] };
    expect(list.triggers.find((t) => t.slug === "fixture-event-b")?.enabled).toBe(true);
  });
});

describe("subscriptions and fan-out", () => {
  it("starts one run per enabled subscription through the queue, each knowing its subscriber", async () => {
    const subscribe = async (subscriber: string) =>
      (await (
        await request("/workflows/fixture-per-subscriber/subscriptions", {
          json: { subscriber, credentials: { slack: { token: `xoxb-${subscriber}` } } },
        })
      ).json()) as { id: string; credentialKeys: string[] };
    const ada = await subscribe(`ada-${crypto.randomUUID()}`);
    const bob = await subscribe(`bob-${crypto.randomUUID()}`);
    const eve = await subscribe(`eve-${crypto.randomUUID()}`);
    expect(ada.credentialKeys).toEqual(["slack"]);
    expect(JSON.stringify(ada)).not.toContain("xoxb");
    await request(`/workflows/fixture-per-subscriber/subscriptions/${eve.id}`, {
      method: "PATCH",
      json: { enabled: false },
    });

    const fired = (await (await request("/triggers/fixture-fan-out/invoke", { method: "POST" })).json()) as {
      fannedOut: number;
    };
    expect(fired.fannedOut).toBeGreaterThanOrEqual(2);
    const mine = async () =>
      (await runsOf("fixture-per-subscriber")).filter((r) => r.trigger.source === "fixture-fan-out");
    await vi.waitFor(async () => expect((await mine()).length).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    const outputs = await Promise.all(
      (await mine()).map(async (r) => (await waitForStatus(r.runId, ["success"])).output as { subscriber: string }),
    );
    const subscribers = outputs.map((o) => o.subscriber);
    expect(subscribers.some((s) => s.startsWith("ada-"))).toBe(true);
    expect(subscribers.some((s) => s.startsWith("bob-"))).toBe(true);
    expect(subscribers.some((s) => s.startsWith("eve-"))).toBe(false);
    expect(bob.id).not.toBe(ada.id);
  });

  it("starts no duplicate when the queue redelivers a message", async () => {
    const message: FanOutMessage = {
      workflow: "fixture-per-subscriber",
      input: { note: "again" },
      trigger: { type: "cron", source: "fixture-fan-out", deliveryId: crypto.randomUUID() },
      subscription: { id: "sub_x", subscriber: "redelivered" },
      key: `redelivery-${crypto.randomUUID()}`,
    };
    const before = (await runsOf("fixture-per-subscriber")).length;
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch<FanOutMessage>("cairn-fanout", [
        { id: `m${i}`, timestamp: new Date(), attempts: i + 1, body: message },
      ]);
      const ctx = createExecutionContext();
      await consumeFanOut(batch, testEnv);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([`m${i}`]);
    }
    await vi.waitFor(async () => expect((await runsOf("fixture-per-subscriber")).length).toBe(before + 1));
  });

  it("refuses subscriptions to a workflow that is not subscribable", async () => {
    const response = await request("/workflows/fixture-greeting/subscriptions", { json: { subscriber: "x" } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_subscribable");
  });
});
