// A fan-out to thousands of subscribers is sent in bounded calls: each sends FAN_OUT_PAGES_PER_CALL
// pages and hands the job to the WorkflowObject's alarm, through the real queue and consumer.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FAN_OUT_PAGES_PER_CALL } from "../../src/triggers-engine/fan-out-job.ts";
import { workflowObject } from "../../src/triggers-engine/dispatch.ts";
import { fanOutFaults } from "../fixtures/worker.ts";
import { request, testEnv } from "./helpers.ts";

// Small pages keep the runs the consumer starts few; the bound is the same at any size.
const SUBSCRIBERS = 200;
const PAGE = 2;

type Job = { cursor: string | null; lease_until: number };

const object = () => workflowObject(testEnv, "fixture-per-subscriber");
const openJobs = () =>
  runInDurableObject(object(), (_instance, state) =>
    state.storage.sql.exec<Job>("SELECT cursor, lease_until FROM fan_out_jobs").toArray(),
  );

async function fanOutCount(): Promise<number> {
  const body = (await (await request("/runs?workflow=fixture-per-subscriber&limit=1")).json()) as {
    counts: Record<string, number>;
  };
  return Object.values(body.counts).reduce((a, b) => a + b, 0);
}

afterEach(() => {
  fanOutFaults.pageSize = undefined;
});

describe("fan-out at scale", () => {
  it("pages 200 subscriptions in bounded calls, handing each remainder to the alarm, with the queue's consumer starting their runs", async () => {
    const stub = object();
    for (let i = 0; i < SUBSCRIBERS; i += 100)
      await Promise.all(
        Array.from({ length: Math.min(100, SUBSCRIBERS - i) }, (_, j) => stub.create({ subscriber: `s-${i + j}` })),
      );
    fanOutFaults.pageSize = PAGE;
    const perCall = PAGE * FAN_OUT_PAGES_PER_CALL;

    // Subscription ids in the order the fan-out pages through them.
    const ids: string[] = [];
    for (let after: string | undefined; ; ) {
      // (RPC stubs cannot type `unknown` members; the shape is the object's own.)
      const page = (await stub.list({ limit: 1_000, ...(after ? { after } : {}) })) as {
        subscriptions: { id: string }[];
        next?: string;
      };
      ids.push(...page.subscriptions.map((s) => s.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(ids).toHaveLength(SUBSCRIBERS);

    const before = Date.now();
    const fired = (await (await request("/triggers/fixture-fan-out/invoke", { method: "POST" })).json()) as {
      fannedOut: number;
    };
    // The invocation sent its share and left the rest to the alarm, due at once.
    expect(fired.fannedOut).toBe(perCall);
    const boundaries = new Set(ids.filter((_, i) => (i + 1) % perCall === 0));
    const [first] = await openJobs();
    if (first) expect(first.lease_until).toBeLessThanOrEqual(Date.now());
    expect(first === undefined || first.lease_until >= before).toBe(true);

    // Wherever the job is seen (the runtime may fire its alarm before the test does), it stopped
    // after a whole share; each alarm sends the next one, until the last share ends the job.
    const seen: string[] = [];
    for (let guard = 0; guard < 20; guard++) {
      const [job] = await openJobs();
      if (!job) break;
      expect(boundaries.has(job.cursor!)).toBe(true);
      seen.push(job.cursor!);
      await runDurableObjectAlarm(stub);
    }
    expect(await openJobs()).toEqual([]);
    expect(seen.length).toBeLessThanOrEqual(SUBSCRIBERS / perCall - 1);
    expect(seen).toEqual([...seen].sort());

    // The queue's consumer starts one run per message; the first ones are in the history.
    await vi.waitFor(async () => expect(await fanOutCount()).toBeGreaterThan(0), { timeout: 30_000, interval: 500 });
  }, 240_000);
});
