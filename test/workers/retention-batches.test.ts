// Retention at scale: a run with more large values than one R2 batch is purged over several
// batches and alarms, and a purge cut off between batches finishes on the alarm's retry.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { R2_DELETE_BATCHES_PER_PURGE_ALARM } from "../../src/limits.ts";
import { payloadFaults } from "../fixtures/worker.ts";
import { fireAlarmsUntil, patchStoredRunRow, request, runStub, startRun, storedRunRow, testEnv } from "./helpers.ts";

/** The purge's batch in these tests: R2 pages of 2 keys instead of 1,000. */
const BATCH = 2;

const prefixOf = (runId: string) => `runs/${testEnv.RUNS.idFromName(runId).toString()}/`;

async function valuesLeft(runId: string): Promise<number> {
  const page = await testEnv.PAYLOADS!.list({ prefix: prefixOf(runId), limit: 1000 });
  return page.objects.length;
}

async function listed(runId: string): Promise<boolean> {
  const body = (await (await request("/runs?workflow=fixture-large-output&limit=1000")).json()) as {
    runs: { runId: string }[];
  };
  return body.runs.some((run) => run.runId === runId);
}

/**
 * A finished run holding `extra` more values than its own output: what a run with many large step
 * outputs, or many attempts cut off after storing theirs, leaves under its prefix.
 */
async function finishedRunWithValues(extra: number): Promise<{ runId: string; total: number }> {
  const runId = await startRun("fixture-large-output", { key: crypto.randomUUID(), megabytes: 0.2 });
  expect((await fireAlarmsUntil(runId, ["success", "failed"])).status).toBe("success");
  for (let i = 0; i < extra; i++) await testEnv.PAYLOADS!.put(`${prefixOf(runId)}orphan-${i}`, `value ${i}`);
  return { runId, total: await valuesLeft(runId) };
}

afterEach(() => {
  payloadFaults.listLimit = undefined;
  payloadFaults.failDeletesAfter = undefined;
});

describe("retention in bounded batches", () => {
  it("purges a run with more large values than one alarm's batches over several alarms", async () => {
    const perAlarm = BATCH * R2_DELETE_BATCHES_PER_PURGE_ALARM;
    const { runId, total } = await finishedRunWithValues(perAlarm + 5);
    expect(total).toBeGreaterThan(perAlarm);
    payloadFaults.listLimit = BATCH;

    // The first alarm deletes one alarm's worth of batches, leaves the run out of listings and
    // re-arms itself for the rest.
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    expect(await valuesLeft(runId)).toBe(total - perAlarm);
    expect(await listed(runId)).toBe(false);
    expect(await runInDurableObject(runStub(runId), (_i, state) => state.storage.getAlarm())).not.toBeNull();
    // Half deleted, the run reads as gone (its log would need values that are no longer in R2). The
    // hand-fired alarm only moved the run's own clock: its finish is moved back past retention, as
    // the wall clock is when the runtime fires the purge.
    await runInDurableObject(runStub(runId), (instance, state) => {
      patchStoredRunRow(state.storage.sql, { finished_at: 1 });
      (instance as unknown as { store: { forget(): void } }).store.forget();
    });
    const midway = await request(`/runs/${runId}`);
    expect(midway.status).toBe(404);
    expect(((await midway.json()) as { error: { code: string } }).error.code).toBe("run_not_found");
    expect((await request(`/runs/${runId}/events`)).status).toBe(404);

    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    expect(await valuesLeft(runId)).toBe(0);
    expect((await request(`/runs/${runId}`)).status).toBe(404);
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(false);
  }, 60_000);

  it("finishes a purge cut off between two batches on the alarm's retry", async () => {
    const { runId, total } = await finishedRunWithValues(9);
    payloadFaults.listLimit = BATCH;
    payloadFaults.failDeletesAfter = 2;

    await expect(runDurableObjectAlarm(runStub(runId))).rejects.toThrow(/R2 delete failed/);
    // Two batches went before R2 failed; the run's storage is still there, its other values too.
    expect(await valuesLeft(runId)).toBe(total - 2 * BATCH);
    const row = await runInDurableObject(runStub(runId), (_i, state) => storedRunRow(state.storage.sql));
    expect(row?.id).toBe(runId);

    // The runtime retries an alarm whose handler threw: the same handler, on a fresh instance.
    await runInDurableObject(runStub(runId), (instance) => instance.alarm?.());
    expect(await valuesLeft(runId)).toBe(0);
    expect((await request(`/runs/${runId}`)).status).toBe(404);
    expect(await listed(runId)).toBe(false);
  }, 60_000);
});
