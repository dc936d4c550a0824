// A fan-out cut off between pages of subscribers is finished by the WorkflowObject's alarm,
// through the real queue and consumer: every subscriber ends with exactly one run.
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { workflowObject } from "../../src/triggers-engine/dispatch.ts";
import { fanOutFaults } from "../fixtures/worker.ts";
import { request, testEnv, waitForStatus } from "./helpers.ts";

type Listed = { runs: { runId: string; trigger: { type: string; source?: string } }[] };

async function fanOutRuns() {
  const listed = (await (await request("/runs?workflow=fixture-per-subscriber&limit=1000")).json()) as Listed;
  return listed.runs.filter((r) => r.trigger.source === "fixture-fan-out");
}

afterEach(() => {
  fanOutFaults.pageSize = undefined;
  fanOutFaults.failNextPageAfterFirst = false;
});

describe("resumable fan-out", () => {
  it("finishes a fan-out cut off after its first page, with exactly one run per subscriber", async () => {
    const subscribers = ["a", "b", "c", "d", "e"].map((name) => `${name}-${crypto.randomUUID()}`);
    for (const subscriber of subscribers)
      expect((await request("/workflows/fixture-per-subscriber/subscriptions", { json: { subscriber } })).status).toBe(
        201,
      );
    fanOutFaults.pageSize = 2;
    fanOutFaults.failNextPageAfterFirst = true;

    const fired = await request("/triggers/fixture-fan-out/invoke", { method: "POST" });
    expect(fired.status).toBeGreaterThanOrEqual(500);
    // Only the first page reached the queue before the fan-out was cut off.
    await vi.waitFor(async () => expect(await fanOutRuns()).toHaveLength(2), { timeout: 10_000 });

    expect(await runDurableObjectAlarm(workflowObject(testEnv, "fixture-per-subscriber"))).toBe(true);
    await vi.waitFor(async () => expect((await fanOutRuns()).length).toBeGreaterThanOrEqual(5), { timeout: 10_000 });
    const runs = await fanOutRuns();
    const outputs = await Promise.all(
      runs.map(async (r) => (await waitForStatus(r.runId, ["success"])).output as { subscriber: string }),
    );
    expect(outputs.map((o) => o.subscriber).sort()).toEqual([...subscribers].sort());
    // The job is done: nothing is left for the alarm.
    expect(await runDurableObjectAlarm(workflowObject(testEnv, "fixture-per-subscriber"))).toBe(false);
  });
});
