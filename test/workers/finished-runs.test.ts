// A finished run lists no live step, and a schema-less hook resumed by GET receives typed values.
import { describe, expect, it } from "vitest";
// Loads the worker (and its registry) while the file imports, not inside the first test's time.
import "../fixtures/worker.ts";
import { getRun, request, startRun, waitForStatus } from "./helpers.ts";

const key = () => crypto.randomUUID();
const LIVE = ["running", "retrying", "sleeping", "waiting"];

type Traced = { trace: { stepId: string; kind: string; status: string; end?: number }[]; finishedAt: string };

async function traceOf(runId: string): Promise<Traced> {
  return (await (await request(`/runs/${runId}?include=trace`)).json()) as Traced;
}

describe("steps of a finished run", () => {
  it("shows a sleep of a run canceled while sleeping as canceled, ended when the run was", async () => {
    const runId = await startRun("fixture-sleeper", { key: key(), duration: "1h" });
    await waitForStatus(runId, ["sleeping"]);
    expect((await request(`/runs/${runId}/cancel`, { method: "POST" })).status).toBe(200);
    const run = (await getRun(runId)) as Awaited<ReturnType<typeof getRun>> & { finishedAt: string };
    expect(run.status).toBe("canceled");
    expect(run.steps.filter((s) => LIVE.includes(s.status))).toEqual([]);
    expect(run.steps.find((s) => s.id === "sleep#0")).toMatchObject({ status: "canceled", endedAt: run.finishedAt });
    const { trace, finishedAt } = await traceOf(runId);
    const sleep = trace.find((s) => s.kind === "sleep");
    expect(sleep).toMatchObject({ status: "canceled", end: Date.parse(finishedAt) });
  });

  it("shows the open hook of a run that failed in a parallel step as canceled, and lists no open hook", async () => {
    const runId = await startRun("fixture-hook-then-fail", { key: key() });
    const run = await waitForStatus(runId, ["failed", "success"]);
    expect(run.status).toBe("failed");
    expect(run.steps.filter((s) => LIVE.includes(s.status))).toEqual([]);
    expect(run.steps.find((s) => s.id === "hook#0")?.status).toBe("canceled");
    expect(run.hooks).toEqual([]);
    const { trace } = await traceOf(runId);
    expect(trace.filter((s) => s.end === undefined || LIVE.includes(s.status))).toEqual([]);
  });
});

describe("schema-less hooks resumed by GET", () => {
  it("receives query values that are canonical JSON scalars typed, and any other value as its string", async () => {
    const runId = await startRun("fixture-schemaless-hook", { key: key() });
    const waiting = await waitForStatus(runId, ["waiting_on_hook"]);
    const path = new URL(waiting.hooks[0]!.resumeUrl!).pathname;
    // Opening the link shows what will be recorded; the page's button posts the same values.
    expect((await request(`${path}?approved=true&count=3&note=007`, { headers: { accept: "text/html" } })).status).toBe(
      200,
    );
    expect((await waitForStatus(runId, ["waiting_on_hook"])).status).toBe("waiting_on_hook");
    const confirmed = await request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
      body: "approved=true&count=3&note=007",
    });
    expect(confirmed.status).toBe(200);
    const done = await waitForStatus(runId, ["success", "failed"]);
    expect(done.output).toEqual({ approved: true, count: 3, note: "007" });
  });
});
