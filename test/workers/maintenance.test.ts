import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sweepStalledRuns } from "../../src/history/sweep.ts";
import { STALL_SWEEP_INTERVAL_MS } from "../../src/limits.ts";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import { fireAlarmsUntil, getRun, request, runStub, startRun, testEnv, waitForStatus } from "./helpers.ts";

describe("retention", () => {
  it("deletes a finished run, its history entry and its large values when the retention timer fires", async () => {
    const runId = await startRun("fixture-large-output", { key: crypto.randomUUID(), megabytes: 1 });
    const done = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(done.status).toBe("success");
    const keys = await runInDurableObject(runStub(runId), (_i, state) =>
      state.storage.sql
        .exec<{ blob_ref: string }>("SELECT blob_ref FROM events WHERE blob_ref IS NOT NULL")
        .toArray()
        .map((r) => (JSON.parse(r.blob_ref) as { key: string }).key),
    );
    expect(keys.length).toBeGreaterThan(0);
    const listed = (await (await request("/runs?workflow=fixture-large-output&limit=1000")).json()) as {
      runs: { runId: string }[];
    };
    expect(listed.runs.some((r) => r.runId === runId)).toBe(true);

    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    expect((await request(`/runs/${runId}`)).status).toBe(404);
    const after = (await (await request("/runs?workflow=fixture-large-output&limit=1000")).json()) as {
      runs: { runId: string }[];
    };
    expect(after.runs.some((r) => r.runId === runId)).toBe(false);
    for (const key of keys) expect(await testEnv.PAYLOADS!.head(key)).toBeNull();
  }, 30_000);

  it("finishes a purge cut off after its large values were deleted", async () => {
    const runId = await startRun("fixture-large-output", { key: crypto.randomUUID(), megabytes: 1 });
    expect((await fireAlarmsUntil(runId, ["success", "failed"])).status).toBe("success");
    // What a crash between deleting the run's R2 values and deleting its storage leaves: a log
    // whose large values are gone, in an object that restarted (nothing of it in memory).
    await runInDurableObject(runStub(runId), async (instance, state) => {
      const keys = state.storage.sql
        .exec<{ blob_ref: string }>("SELECT blob_ref FROM events WHERE blob_ref IS NOT NULL")
        .toArray()
        .map((r) => (JSON.parse(r.blob_ref) as { key: string }).key);
      await testEnv.PAYLOADS!.delete(keys);
      (instance as unknown as { store: { forget(): void } }).store.forget();
    });
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    expect((await request(`/runs/${runId}`)).status).toBe(404);
    const after = (await (await request("/runs?workflow=fixture-large-output&limit=1000")).json()) as {
      runs: { runId: string }[];
    };
    expect(after.runs.some((r) => r.runId === runId)).toBe(false);
  }, 30_000);

  it("never deletes a live run", async () => {
    const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
    await waitForStatus(runId, ["waiting_on_hook"]);
    // Nothing is armed to delete it, and an alarm delivered anyway (a stale one) leaves it be.
    const alarm = await runInDurableObject(runStub(runId), async (instance, state) => {
      const armed = await state.storage.getAlarm();
      await instance.alarm?.();
      return armed;
    });
    expect(alarm).toBeNull();
    expect((await getRun(runId)).status).toBe("waiting_on_hook");
  });
});

describe("stall watchdog", () => {
  it("finds a sleeping run whose alarm was lost, records it in the log and re-drives it", async () => {
    const key = crypto.randomUUID();
    const runId = await startRun("fixture-sleeper", { key, duration: "1h" });
    await waitForStatus(runId, ["sleeping"]);
    await runInDurableObject(runStub(runId), (_i, state) => state.storage.deleteAlarm());
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(false);

    // Each tick visits a window of the history shards: enough ticks visit the run's shard.
    const recovered: string[] = [];
    for (let tick = 0; tick < 4; tick++)
      recovered.push(
        ...(await sweepStalledRuns(testEnv, Date.now() + 3_600_000 + tick * STALL_SWEEP_INTERVAL_MS)).recovered,
      );
    expect(recovered).toContain(runId);
    const events = (await (await request(`/runs/${runId}/events`)).json()) as {
      events: { type: string; detail?: string }[];
    };
    expect(events.events.find((e) => e.type === "run_stall_detected")?.detail).toContain("no alarm");
    const done = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(done.status).toBe("success");
    expect(await sideEffectCount(`${key}:after`)).toBe(1);
  });

  it("leaves healthy runs alone", async () => {
    const runId = await startRun("fixture-sleeper", { key: crypto.randomUUID(), duration: "1h" });
    await waitForStatus(runId, ["sleeping"]);
    expect(await runStub(runId).watchdog()).toBe("healthy");
    const events = (await (await request(`/runs/${runId}/events`)).json()) as { events: { type: string }[] };
    expect(events.events.some((e) => e.type === "run_stall_detected")).toBe(false);
  });
});
