// Concurrency limits with real gate and run objects: never more than `limit` executing per key,
// FIFO and priority order, slots held or given back while waiting, and slots recovered after a crash.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getRun, request, runStub, startRun, waitForStatus } from "./helpers.ts";
import { freshKey, gate, gateStats, probe, waitForEvent, waitThroughCrashes } from "./flow-helpers.ts";

const concurrency = (workflow: string, key: string) => ({ workflow, stage: "concurrency" as const, key });

describe("concurrency", () => {
  it("never runs more than `limit` runs of a key at once, and all of them finish", async () => {
    const key = freshKey("limited");
    const other = freshKey("other");
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        startRun("flow-limited", { key: i < 6 ? key : other, label: `r${i}`, holdMs: 30 }),
      ),
    );
    for (const runId of runs)
      expect((await waitForStatus(runId, ["success", "failed"], 15_000)).status).toBe("success");
    expect(await probe().peak(key)).toBeLessThanOrEqual(2);
    expect(await probe().peak(key)).toBeGreaterThanOrEqual(1);
    expect((await probe().list(`order:${key}`)).length).toBe(6);
    const stats = await gateStats(concurrency("flow-limited", key));
    expect(stats).toMatchObject({ running: 0, queued: 0, granted: 6, released: 6 });
  });

  it("queues runs in arrival order and starts them one by one as slots free", async () => {
    const key = freshKey("fifo");
    const holder = await startRun("flow-ordered", { key, label: "holder", block: true });
    await waitForStatus(holder, ["waiting_on_hook"]);
    const queued: string[] = [];
    for (const label of ["a", "b", "c"]) {
      const runId = await startRun("flow-ordered", { key, label });
      const held = await waitForEvent(runId, "run_queued");
      expect(held).toMatchObject({ reason: "concurrency", key });
      queued.push(runId);
    }
    const view = (await (await request(`/runs/${queued[2]}`)).json()) as { status: string; queue?: unknown };
    expect(view.status).toBe("queued");
    expect(view.queue).toMatchObject({ reason: "concurrency", key, position: 3 });
    const hook = (await getRun(holder)).hooks[0]!;
    await request(`/hooks/${hook.token}`, { json: {} });
    for (const runId of queued) expect((await waitForStatus(runId, ["success"], 10_000)).status).toBe("success");
    expect(await probe().list(`order:${key}`)).toEqual(["holder", "a", "b", "c"]);
  });

  it("starts higher priorities first among queued runs", async () => {
    const key = freshKey("priority");
    const holder = await startRun("flow-ordered", { key, label: "holder", block: true });
    await waitForStatus(holder, ["waiting_on_hook"]);
    const queued: string[] = [];
    for (const [label, priority] of [
      ["low", 0],
      ["high", 5],
      ["mid", 1],
      ["high2", 5],
    ] as const) {
      const runId = await startRun("flow-ordered", { key, label, priority });
      await waitForEvent(runId, "run_queued");
      queued.push(runId);
    }
    const hook = (await getRun(holder)).hooks[0]!;
    await request(`/hooks/${hook.token}`, { json: {} });
    for (const runId of queued) await waitForStatus(runId, ["success"], 10_000);
    expect(await probe().list(`order:${key}`)).toEqual(["holder", "high", "high2", "mid", "low"]);
  });

  it("gives the slot back while a run waits on a hook (holdWhileWaiting: false)", async () => {
    const key = freshKey("releasing");
    const first = await startRun("flow-releasing", { key, label: "first" });
    await waitForStatus(first, ["waiting_on_hook"]);
    const second = await startRun("flow-releasing", { key, label: "second" });
    // The second gets the slot the first gave back, without the first finishing.
    await waitForStatus(second, ["waiting_on_hook"]);
    expect(await probe().list(`order:${key}`)).toEqual(["first", "second"]);
    // Resumed, the first must queue for the slot again: the second holds it while it waits? No: it
    // gave it back too, so the first runs at once.
    const hook = (await getRun(first)).hooks[0]!;
    await request(`/hooks/${hook.token}`, { json: {} });
    expect((await waitForStatus(first, ["success"])).status).toBe("success");
    await runStub(second).cancel("done");
    expect(await gateStats(concurrency("flow-releasing", key))).toMatchObject({ running: 0, queued: 0 });
  });

  it("recovers the slot of a run whose object crashed holding it, releasing it exactly once", async () => {
    const key = freshKey("crash");
    const runs = [];
    for (const label of ["a", "b", "c"]) runs.push(await startRun("flow-crashing", { key, label }));
    for (const runId of runs) expect((await waitThroughCrashes(runId, ["success", "failed"])).status).toBe("success");
    expect(await probe().peak(key)).toBe(1);
    const stats = await gateStats(concurrency("flow-crashing", key));
    expect(stats).toMatchObject({ running: 0, queued: 0, granted: 3, released: 3 });
    // A late repeat of a release changes nothing.
    await gate(concurrency("flow-crashing", key)).flowGate({
      op: "release",
      gate: concurrency("flow-crashing", key),
      runId: runs[0]!,
    });
    expect(await gateStats(concurrency("flow-crashing", key))).toMatchObject({ granted: 3, released: 3 });
  });

  it("recovers a slot held by a run that no longer exists, on the gate's audit alarm", async () => {
    const key = freshKey("lost");
    const id = concurrency("flow-limited", key);
    // Two holders the gate will never hear from again (their objects are gone).
    for (const runId of ["run_lost_one", "run_lost_two"])
      await gate(id).flowGate({ op: "acquire", gate: id, runId, priority: 0, limit: 2 });
    const waiting = await startRun("flow-limited", { key, label: "waiting" });
    await waitForEvent(waiting, "run_queued");
    await runDurableObjectAlarm(gate(id));
    expect((await waitForStatus(waiting, ["success"], 10_000)).status).toBe("success");
    expect(await gateStats(id)).toMatchObject({ running: 0, queued: 0, granted: 3, released: 3 });
  });

  it("fails the run with flow_key_failed when the key function throws", async () => {
    const runId = await startRun("flow-bad-key", { key: "x" });
    const run = await waitForStatus(runId, ["failed"]);
    expect(run.error).toMatchObject({ code: "flow_key_failed" });
    expect(run.error?.message).toContain("no tenant on this input");
  });

  it("releases a queued run's place when it is canceled", async () => {
    const key = freshKey("cancel");
    const holder = await startRun("flow-ordered", { key, label: "holder", block: true });
    await waitForStatus(holder, ["waiting_on_hook"]);
    const queued = await startRun("flow-ordered", { key, label: "queued" });
    await waitForEvent(queued, "run_queued");
    expect(await gateStats(concurrency("flow-ordered", key))).toMatchObject({ running: 1, queued: 1 });
    await request(`/runs/${queued}/cancel`, { method: "POST" });
    await request(`/runs/${holder}/cancel`, { method: "POST" });
    expect(await gateStats(concurrency("flow-ordered", key))).toMatchObject({ running: 0, queued: 0 });
  });
});
