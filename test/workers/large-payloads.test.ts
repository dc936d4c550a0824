import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RunSchema } from "../../src/log/migrations.ts";
import { SqlEventLog } from "../../src/log/sql-event-log.ts";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import { runFaults } from "../fixtures/worker.ts";
import { fireAlarmsUntil, request, runStub, startRun, testEnv, waitForStatus } from "./helpers.ts";

describe("large payloads", () => {
  it("stores a 20 MiB step output in R2, keeps the log row small, and rehydrates it after eviction", async () => {
    const key = crypto.randomUUID();
    const runId = await startRun("fixture-large-output", { key, megabytes: 20 });
    await waitForStatus(runId, ["sleeping"], 20_000);
    const stored = await runInDurableObject(runStub(runId), async (_instance, state) => {
      const row = state.storage.sql
        .exec<{ data: string; blob_ref: string | null }>(
          "SELECT data, blob_ref FROM events WHERE type = 'step_completed'",
        )
        .one();
      // A fresh log (as after an eviction) reads the value back from R2.
      const reloaded = await SqlEventLog.load(state.storage, new RunSchema(state.storage.sql), testEnv.PAYLOADS);
      const completed = reloaded.events.find((e) => e.type === "step_completed") as { output: { text: string } };
      return {
        rowBytes: row.data.length,
        ref: row.blob_ref,
        rehydrated: completed.output.text.length,
        databaseSize: state.storage.sql.databaseSize,
      };
    });
    expect(stored.rowBytes).toBeLessThan(1_000);
    expect(stored.ref).toContain("runs/");
    expect(stored.rehydrated).toBe(20 * 1024 * 1024);
    expect(stored.databaseSize).toBeLessThan(1024 * 1024);
    const ref = JSON.parse(stored.ref!) as { key: string };
    expect((await testEnv.PAYLOADS!.head(ref.key))?.size).toBeGreaterThan(20 * 1024 * 1024);

    const done = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(done).toMatchObject({ status: "success", output: { length: 20 * 1024 * 1024 } });
    expect(await sideEffectCount(key)).toBe(1);
    const record = (await (await request(`/runs/${runId}`)).json()) as { steps: { output?: { text: string } }[] };
    expect(record.steps[0]?.output?.text.length).toBe(20 * 1024 * 1024);
  }, 60_000);

  it("replays a step whose large output could not be stored, without counting it as a failed attempt", async () => {
    const key = crypto.randomUUID();
    runFaults.failNextExternalize = 1;
    const runId = await startRun("fixture-large-output", { key, megabytes: 1 });
    const done = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(runFaults.failNextExternalize).toBe(0);
    expect(done).toMatchObject({ status: "success", output: { length: 1024 * 1024 } });
    // The action ran again (its result was lost with the failed write): one attempt, no error recorded.
    expect(done.steps[0]).toMatchObject({ id: "big-output#0", attempts: 1 });
    expect(done.steps[0]?.errors).toBeUndefined();
    expect(await sideEffectCount(key)).toBe(2);
  }, 60_000);

  it("replays a run whose large output could not be stored instead of failing it", async () => {
    runFaults.failNextExternalize = 1;
    const runId = await startRun("fixture-large-result", { megabytes: 1 });
    const done = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(runFaults.failNextExternalize).toBe(0);
    expect(done.status).toBe("success");
    expect((done.output as { text: string }).text.length).toBe(1024 * 1024);
  }, 60_000);

  it("reads many large values back into their own events when the log loads", async () => {
    const runId = await startRun("fixture-many-large", { count: 8, kib: 200 });
    await waitForStatus(runId, ["sleeping"], 20_000);
    const outputs = await runInDurableObject(runStub(runId), async (_instance, state) => {
      const refs = state.storage.sql
        .exec<{ n: number }>("SELECT COUNT(*) AS n FROM events WHERE blob_ref IS NOT NULL")
        .one().n;
      const reloaded = await SqlEventLog.load(state.storage, new RunSchema(state.storage.sql), testEnv.PAYLOADS);
      const completed = reloaded.events.filter((e) => e.type === "step_completed") as {
        stepId: string;
        output: { i: number; text: string };
      }[];
      return {
        refs,
        steps: completed.map((e) => ({
          id: e.stepId,
          i: e.output.i,
          length: e.output.text.length,
          digit: e.output.text[0],
        })),
      };
    });
    expect(outputs.refs).toBe(8);
    expect(outputs.steps).toEqual(
      Array.from({ length: 8 }, (_, i) => ({ id: `numbered-output#${i}`, i, length: 200 * 1024, digit: String(i) })),
    );
  }, 60_000);
});
