// Bulk operations through the real Worker: the count first, progress batch by batch, a repeated
// request doing nothing twice, a crash mid-job acting on every run exactly once, and the snapshot.
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bulkObject } from "../../src/http/routes/run-bulk.ts";
import { bulkFaults } from "../fixtures/worker.ts";
import { request, startRun, testEnv, waitForStatus } from "./helpers.ts";

const FINISHED = ["success", "failed", "canceled"];

type Bulk = {
  bulkId: string;
  action: string;
  count: number;
  done: number;
  failed: number;
  skipped: number;
  status: string;
  errors?: unknown[];
};
type RunEvent = { type: string; by?: string; reason?: string; via?: string };

beforeEach(() => {
  bulkFaults.manualAlarms = true;
});

afterEach(() => {
  bulkFaults.batchSize = undefined;
  bulkFaults.crashBeforeAdvance = 0;
  bulkFaults.manualAlarms = false;
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await request("/runs/bulk", { json: body, headers });
  return { status: response.status, body: (await response.json()) as Bulk & { error?: { code: string } } };
}

async function status(bulkId: string): Promise<Bulk> {
  return (await (await request(`/runs/bulk/${bulkId}`)).json()) as Bulk;
}

/** Fires the job's alarm until it completes; the number of batches it took. */
async function drive(bulkId: string, max = 20): Promise<number> {
  for (let batches = 0; batches < max; batches++) {
    if ((await status(bulkId)).status === "completed") return batches;
    await runDurableObjectAlarm(bulkObject(testEnv, bulkId)).catch(() => undefined);
  }
  throw new Error(`bulk ${bulkId} did not complete`);
}

async function events(runId: string): Promise<RunEvent[]> {
  return ((await (await request(`/runs/${runId}/events?limit=1000`)).json()) as { events: RunEvent[] }).events;
}

/** `n` runs of fixture-bulk-flaky that failed (each fails once, so its retry succeeds). */
async function failedRuns(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const runId = await startRun("fixture-bulk-flaky", { key: crypto.randomUUID(), failUntil: 1 });
    expect((await waitForStatus(runId, FINISHED)).status).toBe("failed");
    ids.push(runId);
  }
  return ids;
}

/** The retries the log of each run records, by run. */
async function retriesOf(runIds: string[]) {
  return Promise.all(runIds.map(async (id) => (await events(id)).filter((e) => e.type === "run_retried")));
}

describe("POST /runs/bulk", () => {
  it("answers the count first with dryRun, acting on nothing", async () => {
    const since = Date.now();
    const runIds = await failedRuns(3);
    const ok = await startRun("fixture-bulk-flaky", { key: crypto.randomUUID(), failUntil: 0 });
    await waitForStatus(ok, FINISHED);
    const dry = await post({
      action: "retry",
      filter: { workflow: "fixture-bulk-flaky", status: "failed", since },
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.count).toBe(3);
    const all = await post({ action: "cancel", filter: { workflow: "fixture-bulk-flaky", since }, dryRun: true });
    expect(all.body.count).toBe(4);
    expect((await retriesOf(runIds)).flat()).toEqual([]);
  });

  it("retries every matching run once, with progress per batch, recording who and why", async () => {
    const since = Date.now();
    const runIds = await failedRuns(3);
    bulkFaults.batchSize = 2;
    const started = await post({
      action: "retry",
      filter: { workflow: "fixture-bulk-flaky", status: "failed", since },
      reason: "provider outage is over",
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ action: "retry", count: 3, status: "running" });
    const { bulkId } = started.body;
    expect(await status(bulkId)).toMatchObject({ count: 3, done: 0, status: "running" });

    await runDurableObjectAlarm(bulkObject(testEnv, bulkId));
    expect(await status(bulkId)).toMatchObject({ done: 2, status: "running" });
    await runDurableObjectAlarm(bulkObject(testEnv, bulkId));
    expect(await status(bulkId)).toMatchObject({ count: 3, done: 3, failed: 0, skipped: 0, status: "completed" });

    for (const retries of await retriesOf(runIds)) {
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ reason: "provider outage is over", via: `bulk:${bulkId}` });
      const retry = await waitForStatus(retries[0]!.by!, FINISHED);
      expect(retry.status).toBe("success");
    }
    const listed = (await (await request(`/runs?trigger=retry&since=${since}&limit=100`)).json()) as {
      runs: { trigger: { source?: string } }[];
    };
    expect(listed.runs.filter((r) => r.trigger.source === `bulk:${bulkId}`)).toHaveLength(3);
  });

  it("does nothing twice when the request is repeated with the same Idempotency-Key", async () => {
    const since = Date.now();
    const runIds = await failedRuns(2);
    const body = { action: "retry", filter: { workflow: "fixture-bulk-flaky", status: "failed", since } };
    const headers = { "idempotency-key": `bulk-${crypto.randomUUID()}` };
    const first = await post(body, headers);
    await drive(first.body.bulkId);
    const again = await post(body, headers);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ bulkId: first.body.bulkId, count: 2, status: "completed" });
    // Nothing is left for the job's alarm, and each run was retried once.
    expect(await runDurableObjectAlarm(bulkObject(testEnv, first.body.bulkId))).toBe(false);
    expect((await retriesOf(runIds)).map((r) => r.length)).toEqual([1, 1]);
    expect(await status(first.body.bulkId)).toMatchObject({ done: 2, skipped: 0 });

    const other = await post({ ...body, action: "cancel" }, headers);
    expect(other.status).toBe(409);
    expect(other.body.error?.code).toBe("idempotency_conflict");
  });

  it("cancels live runs with the reason and who, and counts a finished run as skipped", async () => {
    const since = Date.now();
    const sleeping = [await startRun("fixture-bulk-sleeper", { sleep: true })];
    sleeping.push(await startRun("fixture-bulk-sleeper", { sleep: true }));
    for (const id of sleeping) await waitForStatus(id, ["sleeping"]);
    const done = await startRun("fixture-bulk-sleeper", { sleep: false });
    await waitForStatus(done, FINISHED);

    const started = await post({
      action: "cancel",
      filter: { workflow: "fixture-bulk-sleeper", since },
      reason: "cleanup",
    });
    await drive(started.body.bulkId);
    expect(await status(started.body.bulkId)).toMatchObject({ count: 3, done: 2, skipped: 1, status: "completed" });
    for (const id of sleeping) {
      const run = (await (await request(`/runs/${id}`)).json()) as Record<string, unknown>;
      expect(run).toMatchObject({
        status: "canceled",
        cancelReason: "cleanup",
        canceledBy: `bulk:${started.body.bulkId}`,
      });
    }
    expect((await waitForStatus(done, FINISHED)).status).toBe("success");
  });

  it("resumes from its cursor after a crash mid-job and retries every run exactly once", async () => {
    const since = Date.now();
    const runIds = await failedRuns(5);
    bulkFaults.batchSize = 2;
    // The first batch acts on two runs, then the object dies before recording it.
    bulkFaults.crashBeforeAdvance = 1;
    const started = await post({
      action: "retry",
      filter: { workflow: "fixture-bulk-flaky", status: "failed", since },
    });
    await expect(runDurableObjectAlarm(bulkObject(testEnv, started.body.bulkId))).rejects.toThrow();
    expect(await status(started.body.bulkId)).toMatchObject({ done: 0, status: "running" });
    expect((await retriesOf(runIds)).filter((r) => r.length === 1)).toHaveLength(2);

    await drive(started.body.bulkId);
    expect(await status(started.body.bulkId)).toMatchObject({ count: 5, done: 5, failed: 0, skipped: 0 });
    expect((await retriesOf(runIds)).map((r) => r.length)).toEqual([1, 1, 1, 1, 1]);
  });

  it("after a crash mid-cancel counts the runs it had canceled as done, not skipped", async () => {
    const since = Date.now();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await startRun("fixture-bulk-sleeper", { sleep: true }));
    for (const id of ids) await waitForStatus(id, ["sleeping"]);
    bulkFaults.batchSize = 2;
    bulkFaults.crashBeforeAdvance = 1;
    const started = await post({
      action: "cancel",
      filter: { workflow: "fixture-bulk-sleeper", status: "sleeping", since },
    });
    await expect(runDurableObjectAlarm(bulkObject(testEnv, started.body.bulkId))).rejects.toThrow();
    await drive(started.body.bulkId);
    expect(await status(started.body.bulkId)).toMatchObject({ count: 3, done: 3, skipped: 0 });
    for (const id of ids) {
      const cancels = (await events(id)).filter((e) => e.type === "run_canceled");
      expect(cancels).toEqual([expect.objectContaining({ by: `bulk:${started.body.bulkId}` })]);
    }
  });

  it("acts only on the runs that matched when it was created, not on runs started later", async () => {
    const since = Date.now();
    const before = await failedRuns(2);
    const started = await post({
      action: "retry",
      filter: { workflow: "fixture-bulk-flaky", status: "failed", since },
    });
    const [later] = await failedRuns(1);
    await drive(started.body.bulkId);
    expect(await status(started.body.bulkId)).toMatchObject({ count: 2, done: 2 });
    expect((await retriesOf([...before, later!])).map((r) => r.length)).toEqual([1, 1, 0]);
  });

  it("refuses a malformed request with 400 and an unknown job with 404", async () => {
    const bad = [
      { action: "delete", filter: {} },
      { action: "cancel", filter: { status: "sleepy" } },
      { action: "cancel", filter: { since: "yesterday-ish" } },
      { action: "cancel" },
      { action: "cancel", filter: {}, extra: true },
    ];
    for (const body of bad) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.body.error?.code).toBe("invalid_input");
    }
    for (const id of ["bulk_0123456789abcdef0123456789abcdef", "nope"]) {
      const response = await request(`/runs/bulk/${id}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("bulk_not_found");
    }
  });
});
