// Pausing a workflow: new runs are accepted and wait as `queued` (reason `paused`), resume starts
// them in the order they were accepted (each records `run_released` with its place), API and trigger starts alike; who paused and why is kept.
import { describe, expect, it } from "vitest";
import { request, waitForStatus } from "./helpers.ts";
import { eventsOf, freshKey, probe, waitForEvent } from "./flow-helpers.ts";

type Paused = { workflow: string; paused: boolean; pausedAt?: string; reason?: string; released?: number };

describe("pause and resume", () => {
  it("holds new runs while paused and releases them in accepted order on resume", async () => {
    const key = freshKey("paused");
    const pause = await request("/workflows/flow-plain/pause", {
      json: { reason: "downstream maintenance" },
      headers: { "x-cairn-client": "cli" },
    });
    expect(pause.status).toBe(200);
    const paused = (await pause.json()) as Paused;
    expect(paused).toMatchObject({ workflow: "flow-plain", paused: true, reason: "downstream maintenance" });
    expect(Date.parse(paused.pausedAt!)).not.toBeNaN();

    const listed = (await (await request("/workflows/flow-plain")).json()) as Record<string, unknown>;
    expect(listed).toMatchObject({ paused: true, pauseReason: "downstream maintenance", pausedBy: "cli" });
    const all = (await (await request("/workflows")).json()) as { workflows: { slug: string; paused: boolean }[] };
    expect(all.workflows.find((w) => w.slug === "flow-plain")?.paused).toBe(true);
    expect(all.workflows.find((w) => w.slug === "flow-limited")?.paused).toBe(false);

    const runs: string[] = [];
    for (const label of ["1", "2", "3"]) {
      const response = await request("/workflows/flow-plain", { json: { key, label } });
      expect(response.status).toBe(202);
      const { runId } = (await response.json()) as { runId: string };
      expect(await waitForEvent(runId, "run_queued")).toMatchObject({ reason: "paused" });
      runs.push(runId);
    }
    const view = (await (await request(`/runs/${runs[0]}`)).json()) as { status: string; queue?: { reason: string } };
    expect(view).toMatchObject({ status: "queued", queue: { reason: "paused" } });
    const queued = (await (await request("/runs?workflow=flow-plain&status=queued")).json()) as {
      runs: { runId: string }[];
    };
    expect(queued.runs.map((r) => r.runId)).toEqual(expect.arrayContaining(runs));
    expect(await probe().list(`order:${key}`)).toEqual([]);

    const resume = await request("/workflows/flow-plain/resume", {
      method: "POST",
      headers: { "x-cairn-client": "cli" },
    });
    expect(resume.status).toBe(200);
    expect(await resume.json()).toEqual({ workflow: "flow-plain", paused: false, released: 3 });
    for (const runId of runs) expect((await waitForStatus(runId, ["success"], 10_000)).status).toBe("success");
    // Woken one after the other in the order they were accepted; each then runs by itself, so the
    // order their steps execute in is up to the runtime.
    const released = [];
    for (const runId of runs) released.push((await eventsOf(runId)).filter((e) => e.type === "run_released"));
    expect(released).toEqual([1, 2, 3].map((position) => [expect.objectContaining({ position, by: "cli" })]));
    expect((await probe().list(`order:${key}`)).sort()).toEqual(["1", "2", "3"]);
    const after = (await (await request("/workflows/flow-plain")).json()) as { paused: boolean };
    expect(after.paused).toBe(false);
  });

  it("holds runs a webhook trigger starts while paused", async () => {
    const group = freshKey("hook");
    await request("/workflows/flow-plain/pause", { method: "POST" });
    const delivered = await request("/triggers/fixture-flow-events", { json: { group, n: 7 } });
    expect(delivered.status).toBeLessThan(300);
    const body = (await delivered.json()) as { runIds: string[] };
    const plainRun = body.runIds.find(Boolean);
    expect(plainRun).toBeDefined();
    const held = await Promise.all(body.runIds.map((id) => waitForStatus(id, ["queued", "skipped", "success"])));
    expect(held.length).toBeGreaterThan(0);
    const listed = (await (await request("/runs?workflow=flow-plain&status=queued")).json()) as {
      runs: { runId: string; trigger: { type: string } }[];
    };
    const mine = listed.runs.filter((r) => body.runIds.includes(r.runId));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.trigger.type).toBe("webhook");
    await waitForEvent(mine[0]!.runId, "run_queued");
    expect(
      ((await (await request("/workflows/flow-plain/resume", { method: "POST" })).json()) as Paused).released,
    ).toBe(1);
    expect((await waitForStatus(mine[0]!.runId, ["success"], 10_000)).status).toBe("success");
    expect(await probe().list(`order:hook:${group}`)).toEqual(["7"]);
  });

  it("answers 404 for an unknown workflow and 400 for a bad body", async () => {
    expect((await request("/workflows/nope/pause", { method: "POST" })).status).toBe(404);
    const bad = await request("/workflows/flow-plain/pause", { json: { reason: 42 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
    const all = (await (await request("/workflows/flow-plain")).json()) as { paused: boolean };
    expect(all.paused).toBe(false);
  });
});
