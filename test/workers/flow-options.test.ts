// Rate limits (throttle and drop), debounce, singleton and batch with real gates, runs and alarms.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { keyScope, runIdForKey } from "../../src/run/ids.ts";
import { request, startRun, waitForStatus } from "./helpers.ts";
import { eventsOf, freshKey, gate, waitForEvent } from "./flow-helpers.ts";

type View = {
  status: string;
  output?: unknown;
  skipped?: { reason: string; by?: string };
  cancelReason?: string;
  input?: unknown;
};
const view = async (runId: string) => (await (await request(`/runs/${runId}`)).json()) as View;

describe("rateLimit", () => {
  it("delays starts over the limit so no window of `period` holds more than `limit` (throttle)", async () => {
    const key = freshKey("throttle");
    const runs: string[] = [];
    for (let i = 0; i < 5; i++) runs.push(await startRun("flow-throttled", { key, label: String(i) }));
    for (const runId of runs) expect((await waitForStatus(runId, ["success"], 15_000)).status).toBe("success");
    // Each run's allowed start: its reservation (`until`) when delayed, else when it was admitted.
    const allowed: number[] = [];
    for (const runId of runs) {
      const events = await eventsOf(runId);
      const delayed = events.find((e) => e.type === "run_queued" && e.reason === "rate_limit");
      const admitted = events.find((e) => e.type === "run_admitted") as { reservedAt?: number } | undefined;
      allowed.push(delayed?.until ?? admitted!.reservedAt!);
    }
    allowed.sort((a, b) => a - b);
    for (let i = 2; i < allowed.length; i++) expect(allowed[i]! - allowed[i - 2]!).toBeGreaterThanOrEqual(1_000);
    expect(runs.filter((_, i) => i >= 2).length).toBe(3);
  });

  it("drops starts over the limit with a recorded reason (mode: drop)", async () => {
    const key = freshKey("drop");
    const first = await startRun("flow-dropping", { key, label: "kept" });
    expect((await waitForStatus(first, ["success"])).status).toBe("success");
    const second = await startRun("flow-dropping", { key, label: "dropped" });
    expect((await waitForStatus(second, ["skipped"])).status).toBe("skipped");
    expect((await view(second)).skipped).toMatchObject({ reason: "rate_limited" });
    const other = await startRun("flow-dropping", { key: freshKey("drop"), label: "other key" });
    expect((await waitForStatus(other, ["success"])).status).toBe("success");
  });
});

describe("debounce", () => {
  it("turns a burst into one run with the last input; the others are skipped", async () => {
    const key = freshKey("debounce");
    const runs: string[] = [];
    for (const value of ["a", "b", "c"]) {
      const runId = await startRun("flow-debounced", { key, value });
      await waitForEvent(runId, "run_queued");
      runs.push(runId);
    }
    expect((await waitForStatus(runs[2]!, ["success"], 10_000)).output).toEqual({ value: "c" });
    for (const runId of runs.slice(0, 2)) {
      expect((await waitForStatus(runId, ["skipped"])).status).toBe("skipped");
      expect((await view(runId)).skipped).toMatchObject({ reason: "debounced" });
    }
    expect((await view(runs[0]!)).skipped?.by).toBe(runs[1]);
  });

  it("starts a burst's run no later than maxWait after its first start", async () => {
    const key = freshKey("maxwait");
    const first = await startRun("flow-debounced", { key, value: "1" });
    const firstHeld = await waitForEvent(first, "run_queued");
    const second = await startRun("flow-debounced", { key, value: "2" });
    const secondHeld = await waitForEvent(second, "run_queued");
    // period and maxWait are both 2 s: the second start is due when the burst's first was, plus
    // maxWait, not 2 s after itself.
    expect(secondHeld.until).toBe(firstHeld.until);
    expect(secondHeld.at).toBeGreaterThanOrEqual(firstHeld.at);
    expect((await waitForStatus(second, ["success"], 10_000)).output).toEqual({ value: "2" });
  });
});

describe("singleton", () => {
  it("skips a start while a run of its key is live (mode: skip)", async () => {
    const key = freshKey("single");
    const live = await startRun("flow-single-skip", { key });
    await waitForStatus(live, ["waiting_on_hook"]);
    const skipped = await startRun("flow-single-skip", { key });
    expect((await waitForStatus(skipped, ["skipped"])).status).toBe("skipped");
    expect((await view(skipped)).skipped).toMatchObject({ reason: "singleton", by: live });
    await request(`/runs/${live}/cancel`, { method: "POST" });
    const next = await startRun("flow-single-skip", { key });
    expect((await waitForStatus(next, ["waiting_on_hook"])).status).toBe("waiting_on_hook");
    await request(`/runs/${next}/cancel`, { method: "POST" });
  });

  it("cancels the live run and takes its place (mode: cancel-running)", async () => {
    const key = freshKey("replace");
    const old = await startRun("flow-single-replace", { key });
    await waitForStatus(old, ["waiting_on_hook"]);
    const replacing = await startRun("flow-single-replace", { key });
    expect((await waitForStatus(replacing, ["waiting_on_hook"])).status).toBe("waiting_on_hook");
    expect(await view(old)).toMatchObject({ status: "canceled", cancelReason: expect.stringContaining(replacing) });
    await request(`/runs/${replacing}/cancel`, { method: "POST" });
  });
});

describe("batch", () => {
  it("collects maxSize starts into one run that receives their items", async () => {
    const group = freshKey("batch");
    const runs: string[] = [];
    for (const n of [1, 2, 3]) runs.push(await startRun("flow-batched", [{ group, n }]));
    const skipped = await Promise.all(runs.map((id) => waitForStatus(id, ["skipped"])));
    expect(skipped.map((r) => r.status)).toEqual(["skipped", "skipped", "skipped"]);
    const views = await Promise.all(runs.map(view));
    const by = new Set(views.map((v) => v.skipped?.by));
    expect(by.size, JSON.stringify(views.map((v) => v.skipped))).toBe(1);
    const batchRun = [...by][0]!;
    const done = await waitForStatus(batchRun, ["success"], 10_000);
    expect(done.output).toEqual({ count: 3, sum: 6 });
    expect((await view(batchRun)).input).toEqual([
      { group, n: 1 },
      { group, n: 2 },
      { group, n: 3 },
    ]);
  });

  it("never gives a batch run more than maxSize items: a start's items that do not fit open the next batch", async () => {
    const group = freshKey("overflow");
    const item = (n: number) => ({ group, n });
    const first = await startRun("flow-batched", [item(1), item(2)]);
    await waitForStatus(first, ["skipped"]);
    // maxSize is 3: one item of this start fills the open batch, the other four fill one and open another.
    const second = await startRun("flow-batched", [item(3), item(4), item(5), item(6), item(7)]);
    await waitForStatus(second, ["skipped"]);
    const batchRunOf = (batchId: string) => runIdForKey(keyScope("flow-batched", "api"), batchId);
    const full = [(await view(first)).skipped!.by!, await batchRunOf(`batch:${second}:1`)];
    expect((await view(second)).skipped!.by).toBe(full[0]);
    const inputs = [];
    for (const runId of full) {
      await waitForStatus(runId, ["success"], 10_000);
      inputs.push((await view(runId)).input);
    }
    expect(inputs).toEqual([
      [item(1), item(2), item(3)],
      [item(4), item(5), item(6)],
    ]);
    // The last item waits in the open batch until maxWait closes it.
    const rest = await batchRunOf(`batch:${second}:2`);
    expect((await request(`/runs/${rest}`)).status).toBe(404);
    await runDurableObjectAlarm(gate({ workflow: "flow-batched", stage: "batch", key: group }));
    expect((await waitForStatus(rest, ["success"], 10_000)).output).toEqual({ count: 1, sum: 7 });
  });

  it("keeps which start went into which batch for a day after the batch's run started, then drops it", async () => {
    const group = freshKey("prune");
    const runs: string[] = [];
    for (const n of [1, 2, 3]) runs.push(await startRun("flow-batched", [{ group, n }]));
    await Promise.all(runs.map((id) => waitForStatus(id, ["skipped"])));
    const batchGate = gate({ workflow: "flow-batched", stage: "batch", key: group });
    const members = () =>
      runInDurableObject(batchGate, (_instance, state) => [
        ...state.storage.sql.exec<{ run_id: string }>("SELECT run_id FROM flow_batch_items ORDER BY seq"),
      ]);
    expect((await members()).map((m) => m.run_id)).toEqual(runs);
    // Fired by hand, the gate's alarm moves its clock to when the membership is due to go.
    expect(await runDurableObjectAlarm(batchGate)).toBe(true);
    expect(await members()).toEqual([]);
    expect(await runDurableObjectAlarm(batchGate)).toBe(false);
  });

  it("starts a smaller batch once maxWait passes (trigger deliveries)", async () => {
    const group = freshKey("timeout");
    const delivered = (await (await request("/triggers/fixture-flow-events", { json: { group, n: 5 } })).json()) as {
      runIds: string[];
    };
    const items = await Promise.all(delivered.runIds.map((id) => waitForStatus(id, ["skipped", "success"], 10_000)));
    const batched = [];
    for (const id of delivered.runIds) if ((await view(id)).skipped?.reason === "batched") batched.push(id);
    expect(batched).toHaveLength(1);
    expect(items.length).toBe(2);
    const batchRun = (await view(batched[0]!)).skipped!.by!;
    // The gate's alarm closes the batch at maxWait (fired here rather than waited for).
    await runDurableObjectAlarm(gate({ workflow: "flow-batched", stage: "batch", key: group }));
    const done = await waitForStatus(batchRun, ["success"], 10_000);
    expect(done.output).toEqual({ count: 1, sum: 5 });
    expect(((await view(batchRun)) as { trigger?: { type: string } }).trigger?.type).toBe("webhook");
  });
});
