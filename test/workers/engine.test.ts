// The durable run engine end to end inside workerd, on the fixture workflows of test/fixtures.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import { indexFaults, runFaults } from "../fixtures/worker.ts";
import { codeVersion } from "../fixtures/workflows.ts";
import {
  fireAlarmsUntil,
  getRun,
  patchStoredRunRow,
  request,
  runStub,
  startRun,
  storedRunRow,
  waitForStatus,
} from "./helpers.ts";

const key = () => crypto.randomUUID();

describe("durable run engine", () => {
  it("runs a one-step workflow over HTTP and returns its output", async () => {
    const runId = await startRun("fixture-greeting", { name: "Ada" });
    const run = await waitForStatus(runId, ["success", "failed"]);
    expect(run.status).toBe("success");
    expect(run.output).toEqual({ message: "Hello, Ada!" });
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([["greet#0", "completed"]]);
  });

  it("answers ?wait with the finished run", async () => {
    const response = await request("/workflows/fixture-signup?wait=5", { json: { email: "grace@example.com" } });
    expect(response.status).toBe(200);
    const run = (await response.json()) as { status: string; output: unknown };
    expect(run).toMatchObject({ status: "success", output: { accountId: "acct_grace", messageId: "msg_acct_grace" } });
  });

  it("resumes a run whose Durable Object is aborted mid-step and executes each completed step once", async () => {
    const k = key();
    const runId = await startRun("fixture-three-steps", { key: k });
    // In the history from its start, before any pass has succeeded: the stall sweep finds live
    // runs there, so a run whose first pass keeps dying is never invisible to it.
    const listed = (await (await request(`/runs?q=${runId}`)).json()) as { runs: { runId: string; status: string }[] };
    expect(listed.runs).toEqual([expect.objectContaining({ runId, status: "queued" })]);
    // The crash breaks the object's I/O context, so no promise can carry the news out of it:
    // watch the side-effect counter instead.
    await vi.waitFor(async () => expect(await sideEffectCount(`${k}:crash`)).toBe(1), { timeout: 5_000, interval: 20 });
    // The runtime retries the alarm that died with the object; the retry replays the run.
    const run = await waitForStatus(runId, ["success", "failed"], 15_000);
    expect(run.status).toBe("success");
    expect(run.output).toEqual({ value: 3 });
    expect(await sideEffectCount(`${k}:a`)).toBe(1);
    expect(await sideEffectCount(`${k}:b`)).toBe(1);
    expect(await sideEffectCount(`${k}:c`)).toBe(1);
    // Only the attempt in flight at the crash runs again.
    expect(await sideEffectCount(`${k}:crash`)).toBe(2);
  }, 20_000);

  it("replays a pass cut off by a process restart, whose alarm fires again without isRetry", async () => {
    const k = key();
    const runId = await startRun("fixture-sleeper", { key: k, duration: "1s" });
    const sleeping = await waitForStatus(runId, ["sleeping"]);
    // What a SIGKILL mid-pass leaves behind: the wake-up timer consumed, the run marked
    // running, and the alarm that was in flight, which the runtime fires again on restart.
    await runInDurableObject(runStub(runId), async (instance, state) => {
      state.storage.sql.exec("DELETE FROM timers");
      patchStoredRunRow(state.storage.sql, { status: "running" });
      // A restart also forgets what the object held in memory, the run row it had read included.
      (instance as unknown as { store: { forget(): void } }).store.forget();
      await state.storage.setAlarm(Date.parse(sleeping.wakeAt!));
    });
    const run = await waitForStatus(runId, ["success", "failed"], 10_000);
    expect(run.status).toBe("success");
    expect(await sideEffectCount(`${k}:after`)).toBe(1);
  }, 15_000);

  it("keeps no trace of a start whose transaction rolled back, so its retry numbers events from 1", async () => {
    // A write fails after run_started was appended (and the run's tables created) in the same transaction.
    runFaults.failAfterAppendOf = "run_started";
    const idempotencyKey = key();
    const send = () =>
      request("/workflows/fixture-greeting?wait=10", {
        json: { name: "Rollback" },
        headers: { "idempotency-key": idempotencyKey },
      });
    const failed = await send();
    expect(failed.status).toBe(503);
    expect(runFaults.failAfterAppendOf).toBeUndefined();
    const retried = await send();
    expect(retried.status).toBe(200);
    const run = (await retried.json()) as { runId: string; status: string };
    expect(run.status).toBe("success");
    const seqs = await runInDurableObject(runStub(run.runId), (_i, state) =>
      state.storage.sql.exec<{ seq: number; type: string }>("SELECT seq, type FROM events ORDER BY seq").toArray(),
    );
    expect(seqs.map((e) => e.seq)).toEqual(seqs.map((_, i) => i + 1));
    expect(seqs.filter((e) => e.type === "run_started")).toHaveLength(1);
  });

  it("replays a pass whose log failed to record, instead of letting the code catch it as a step failure", async () => {
    // fixture-order releases the reservation if charging throws. A storage failure recording the
    // charge's result is not the charge failing: the run must not compensate.
    const k = key();
    runFaults.failAppendOf = "step_completed:charge#0";
    const runId = await startRun("fixture-order", { key: k, sku: "sku-2", amount: 100 });
    const run = await fireAlarmsUntil(runId, ["success", "failed"]);
    expect(runFaults.failAppendOf).toBeUndefined();
    expect(run.status).toBe("success");
    expect(run.output).toEqual({ status: "placed", detail: "ch_100" });
    expect(run.steps.map((s) => s.id)).toEqual(["reserve#0", "charge#0"]);
    expect(await sideEffectCount(`${k}:release`)).toBe(0);
    expect(await sideEffectCount(`${k}:reserve`)).toBe(1);
  });

  it("retries a failing step through backoff timers fired by the alarm", async () => {
    const k = key();
    const runId = await startRun("fixture-retrying", { key: k, failures: 2 });
    let run = await waitForStatus(runId, ["running"]);
    run = await waitForStatus(runId, ["success"], 200);
    expect(run.status).not.toBe("success");
    for (let attempt = 0; attempt < 2; attempt++) await runDurableObjectAlarm(runStub(runId));
    run = await waitForStatus(runId, ["success", "failed"]);
    expect(run.status).toBe("success");
    expect(run.output).toEqual({ attempt: 3 });
    expect(await sideEffectCount(k)).toBe(3);
    expect(run.steps[0]).toMatchObject({ id: "failing-step#0", attempts: 3 });
    expect(run.steps[0]!.errors).toHaveLength(2);
  });

  it("fails the run with the user's error name, message and stack after the last attempt", async () => {
    const k = key();
    const runId = await startRun("fixture-retrying", { key: k, failures: 5 });
    // Fired only while the run is live: its start alarm may have fired by itself, and one fired
    // after the end would be the retention alarm, which deletes the run.
    const run = await fireAlarmsUntil(runId, ["failed", "success"]);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ name: "RangeError", message: "failure 3 of 5" });
    expect(run.error?.stack).toContain("RangeError");
    expect(await sideEffectCount(k)).toBe(3);
  });

  it("fails at once on NonRetryableError", async () => {
    const k = key();
    const runId = await startRun("fixture-retrying", { key: k, failures: 0, fatal: true });
    const run = await waitForStatus(runId, ["failed", "success"]);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ name: "NonRetryableError", code: "non_retryable" });
    expect(await sideEffectCount(k)).toBe(1);
  });

  it("compensates in try/catch when a step fails for good", async () => {
    const k = key();
    const runId = await startRun("fixture-order", { key: k, sku: "sku-1", amount: 5000 });
    const run = await waitForStatus(runId, ["success", "failed"]);
    expect(run.output).toEqual({ status: "compensated", detail: "card declined for amount 5000" });
    expect(run.steps.map((s) => s.id)).toEqual(["reserve#0", "charge#0", "release#0"]);
    expect(await sideEffectCount(`${k}:charge`)).toBe(1);
    expect(await sideEffectCount(`${k}:release`)).toBe(1);
  });

  it("records sub-workflow steps under the parent step id", async () => {
    const runId = await startRun("fixture-leads", { emails: ["a@acme.io", "b@globex.com"] });
    const run = await waitForStatus(runId, ["success", "failed"]);
    expect(run.status).toBe("success");
    expect(run.output).toEqual({ companies: ["ACME", "GLOBEX"] });
    expect(run.steps.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        "fixture-enrich#0",
        "fixture-enrich#0/lookup#0",
        "fixture-enrich#1",
        "fixture-enrich#1/lookup#0",
      ]),
    );
  });

  it("returns the same run for a repeated Idempotency-Key and rejects a different input", async () => {
    const headers = { "idempotency-key": key() };
    const first = await request("/workflows/fixture-greeting", { json: { name: "Lin" }, headers });
    const second = await request("/workflows/fixture-greeting", { json: { name: "Lin" }, headers });
    const conflict = await request("/workflows/fixture-greeting", { json: { name: "Other" }, headers });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    const a = (await first.json()) as { runId: string };
    const b = (await second.json()) as { runId: string };
    expect(b.runId).toBe(a.runId);
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe("idempotency_conflict");
  });

  it("cancels a sleeping run and refuses to cancel it twice", async () => {
    const k = key();
    const runId = await startRun("fixture-sleeper", { key: k, duration: "1h" });
    await waitForStatus(runId, ["sleeping"]);
    const cancel = await request(`/runs/${runId}/cancel`, { method: "POST" });
    expect(cancel.status).toBe(200);
    expect((await getRun(runId)).status).toBe("canceled");
    // Its sleep timer is gone; its alarm now waits for the deletion 30 days after the cancel.
    const left = await runInDurableObject(runStub(runId), async (_i, state) => ({
      timers: state.storage.sql.exec<{ kind: string }>("SELECT kind FROM timers").toArray(),
      alarm: await state.storage.getAlarm(),
      finishedAt: storedRunRow(state.storage.sql)!.finished_at as number,
    }));
    expect(left.timers).toEqual([]);
    expect(left.alarm).toBe(left.finishedAt + 30 * 24 * 3_600_000);
    expect(await sideEffectCount(`${k}:after`)).toBe(0);
    const again = await request(`/runs/${runId}/cancel`, { method: "POST" });
    expect(again.status).toBe(409);
  });

  it("lists runs newest first, filtered by workflow and status", async () => {
    const started: string[] = [];
    for (const name of ["First", "Second", "Third"]) {
      const runId = await startRun("fixture-greeting", { name });
      await waitForStatus(runId, ["success"]);
      started.push(runId);
      // A run of another workflow in between, which the workflow filter must leave out.
      await startRun("fixture-signup", { email: `${name.toLowerCase()}@example.com` });
      // Runs created in one millisecond would tie on createdAt and fall back to id order: wait
      // until the clock has moved, so the order under test is the creation order.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const response = await request("/runs?workflow=fixture-greeting&status=success&limit=500");
    const body = (await response.json()) as {
      runs: { runId: string; workflow: string; status: string; createdAt: string }[];
      counts: Record<string, number>;
    };
    expect(body.runs.every((r) => r.workflow === "fixture-greeting" && r.status === "success")).toBe(true);
    const times = body.runs.map((r) => Date.parse(r.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const ours = body.runs.filter((r) => started.includes(r.runId));
    expect(ours.map((r) => r.runId)).toEqual([...started].reverse());
    const ourTimes = ours.map((r) => Date.parse(r.createdAt));
    expect(ourTimes[0]).toBeGreaterThan(ourTimes[1]!);
    expect(ourTimes[1]).toBeGreaterThan(ourTimes[2]!);
    expect(body.counts.success).toBeGreaterThanOrEqual(3);
  });

  it("blocks the run (non_determinism) when changed code replays a step with other input", async () => {
    const runId = await startRun("fixture-changing", { key: key() });
    await waitForStatus(runId, ["sleeping"]);
    codeVersion.value = 2;
    try {
      const run = await fireAlarmsUntil(runId, ["blocked", "failed", "success"]);
      expect(run.status).toBe("blocked");
      const { blocked } = run as unknown as { blocked: { code: string; stepId: string; diff: string[] } };
      expect(blocked).toMatchObject({
        code: "non_determinism",
        stepId: "counted-step#0",
        diff: ["input.value: 1 → 2"],
      });
    } finally {
      codeVersion.value = 1;
    }
  });

  it("pages through the event log", async () => {
    const runId = await startRun("fixture-signup", { email: "page@example.com" });
    await waitForStatus(runId, ["success"]);
    const first = (await (await request(`/runs/${runId}/events?limit=2`)).json()) as {
      events: { seq: number; type: string }[];
      next?: number;
    };
    expect(first.events.map((e) => e.type)).toEqual(["run_started", "step_started"]);
    const second = (await (await request(`/runs/${runId}/events?after=${first.next}&limit=100`)).json()) as {
      events: { seq: number; type: string }[];
      next?: number;
    };
    expect(second.events.at(-1)?.type).toBe("run_completed");
    expect(second.next).toBeUndefined();
  });
});

describe("run history", () => {
  it("filters by time range and finds a run by the start of its id", async () => {
    const runId = await startRun("fixture-greeting", { name: "Search" });
    await waitForStatus(runId, ["success"]);
    const found = (await (await request(`/runs?q=${runId.slice(0, 12)}`)).json()) as { runs: { runId: string }[] };
    expect(found.runs.map((r) => r.runId)).toContain(runId);
    const future = (await (await request(`/runs?since=${Date.now() + 60_000}`)).json()) as { runs: unknown[] };
    expect(future.runs).toEqual([]);
    const window = (await (
      await request(`/runs?since=${new Date(Date.now() - 60_000).toISOString()}&workflow=fixture-greeting`)
    ).json()) as { runs: { runId: string }[] };
    expect(window.runs.map((r) => r.runId)).toContain(runId);
    expect((await request("/runs?since=yesterday")).status).toBe(400);
  });

  it("gets a run into the history even when the first index write fails", async () => {
    // Both writes fail: the one at the start and the one after the pass.
    indexFaults.failNext = 2;
    const runId = await startRun("fixture-greeting", { name: "Outbox" });
    await waitForStatus(runId, ["success"]);
    const missing = (await (await request(`/runs?q=${runId}`)).json()) as { runs: unknown[] };
    expect(missing.runs).toEqual([]);
    expect(indexFaults.failNext).toBe(0);
    // The outbox timer retries the write.
    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    const present = (await (await request(`/runs?q=${runId}`)).json()) as { runs: { status: string }[] };
    expect(present.runs).toEqual([expect.objectContaining({ runId, status: "success" })]);
  });
});
