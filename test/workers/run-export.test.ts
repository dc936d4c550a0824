// The replay gate's export routes: one run's full log (large values resolved) and the paged listing.
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseRunExport, type RunExport, type RunExportPage } from "../../sdk/run-export.ts";
import { request, runStub, startRun, waitForStatus } from "./helpers.ts";

async function exportOf(runId: string): Promise<RunExport> {
  const response = await request(`/runs/${runId}/export`);
  expect(response.status).toBe(200);
  return (await response.json()) as RunExport;
}

/** Every run of a listing, following `next`; checks each page keeps to its limit. */
async function allExports(query: string, limit: number): Promise<RunExport[]> {
  const runs: RunExport[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 200; page++) {
    const url = `/runs/export?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const response = await request(url);
    expect(response.status).toBe(200);
    const body = (await response.json()) as RunExportPage;
    expect(body.runs.length).toBeLessThanOrEqual(limit);
    runs.push(...body.runs);
    if (!body.next) return runs;
    cursor = body.next;
  }
  throw new Error("the export cursor never ended");
}

async function errorCode(path: string): Promise<[number, string | undefined]> {
  const response = await request(path);
  const body = (await response.json()) as { error?: { code?: string } };
  return [response.status, body.error?.code];
}

describe("run export", () => {
  it("exports a sleeping run's identity and whole log, in the shape replay reads back", async () => {
    const runId = await startRun("fixture-sleeper", { key: crypto.randomUUID(), duration: "1h" });
    // The file's first request loads the whole Worker: allow for a cold, busy machine.
    await waitForStatus(runId, ["sleeping"], 30_000);
    const exported = await exportOf(runId);
    expect(exported.run).toMatchObject({ runId, workflow: "fixture-sleeper", status: "sleeping" });
    expect(exported.events.map((e) => e.type)).toEqual([
      "run_started",
      "step_started",
      "step_completed",
      "sleep_started",
    ]);
    expect(exported.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    // The export parses with the event schema: what `cairn replay --file` accepts.
    expect(parseRunExport(exported).events).toHaveLength(4);
  }, 60_000);

  it("puts a step output stored in R2 back into its event, also after the object was evicted", async () => {
    const runId = await startRun("fixture-large-output", { key: crypto.randomUUID(), megabytes: 1 });
    await waitForStatus(runId, ["sleeping"], 20_000);
    // A restarted object holds nothing in memory: the export reads the log from SQLite and R2.
    await evictDurableObject(runStub(runId));
    const exported = await exportOf(runId);
    const completed = exported.events.find((e) => e.type === "step_completed") as { output: { text: string } };
    expect(completed.output.text.length).toBe(1024 * 1024);
  }, 30_000);

  it("answers 404 for a run that does not exist and 400 for bad listing queries", async () => {
    expect(await errorCode("/runs/run_0123456789abcdef0123456789abcdef/export")).toEqual([404, "run_not_found"]);
    expect(await errorCode("/runs/not-a-run/export")).toEqual([404, "run_not_found"]);
    expect(await errorCode("/runs/export?scope=some")).toEqual([400, "invalid_query"]);
    expect(await errorCode("/runs/export?finished=-1")).toEqual([400, "invalid_query"]);
    expect(await errorCode("/runs/export?finished=x")).toEqual([400, "invalid_query"]);
    expect(await errorCode("/runs/export?scope=all&finished=3")).toEqual([400, "invalid_query"]);
    expect(await errorCode("/runs/export?limit=0")).toEqual([400, "invalid_query"]);
    expect(await errorCode("/runs/export?cursor=garbage")).toEqual([400, "invalid_query"]);
  });

  it("lists every live run once across pages, adds the newest finished runs on request, and all with scope=all", async () => {
    const key = crypto.randomUUID();
    const sleeping: string[] = [];
    for (let i = 0; i < 5; i++)
      sleeping.push(await startRun("fixture-sleeper", { key: `${key}:${i}`, duration: "1h" }));
    const finished: string[] = [];
    for (let i = 0; i < 3; i++) finished.push(await startRun("fixture-greeting", { name: `Export ${i}` }));
    for (const runId of sleeping) await waitForStatus(runId, ["sleeping"]);
    for (const runId of finished) await waitForStatus(runId, ["success"]);

    const live = await allExports("scope=live", 2);
    const liveIds = live.map((r) => r.run.runId);
    expect(new Set(liveIds).size).toBe(liveIds.length);
    for (const runId of sleeping) expect(liveIds).toContain(runId);
    for (const runId of finished) expect(liveIds).not.toContain(runId);
    expect(live.every((r) => r.run.status !== "success")).toBe(true);
    expect(live.find((r) => r.run.runId === sleeping[0])?.events.at(-1)?.type).toBe("sleep_started");

    // The two newest finished runs of the whole history: this test's last two greetings.
    const sampled = await allExports("scope=live&finished=2", 3);
    const sampledFinished = sampled.filter((r) => r.run.status === "success").map((r) => r.run.runId);
    expect(sampledFinished).toEqual([finished[2], finished[1]]);
    expect(sampled.find((r) => r.run.runId === finished[2])?.events.at(-1)?.type).toBe("run_completed");

    const all = (await allExports("scope=all", 4)).map((r) => r.run.runId);
    for (const runId of [...sleeping, ...finished]) expect(all).toContain(runId);
  }, 60_000);
});
