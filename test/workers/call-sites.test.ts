// Deploys that edit a workflow under a sleeping run (decision 0016): a call of the same action
// added before a recorded one, a recorded call removed, a branch added. After the alarm each run
// replays and finishes, and every completed step ran exactly once.
import { afterEach, describe, expect, it } from "vitest";
import { orderAddedBefore, orderBranch, orderRemoved, orderV1 } from "../fixtures/call-sites/order-workflows.ts";
import { legacyOrder } from "../fixtures/call-sites-uninstrumented.ts";
import { deploy, markedSites } from "../fixtures/call-sites/deploy.ts";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";
import { fireAlarmsUntil, getRun, request, startRun, waitForStatus } from "./helpers.ts";

type Event = { type: string; stepId?: string; site?: string };

async function eventsOf(runId: string): Promise<Event[]> {
  const response = await request(`/runs/${runId}/events?limit=1000`);
  return ((await response.json()) as { events: Event[] }).events;
}

/** Starts a run on the first deployment and leaves it sleeping after its first charges. */
async function sleepingRun(): Promise<{ runId: string; key: string }> {
  deploy(orderV1);
  const key = crypto.randomUUID();
  const runId = await startRun("cs-order", { key });
  await waitForStatus(runId, ["sleeping"]);
  return { runId, key };
}

afterEach(() => deploy(orderV1));

describe("call-site step ids across a deploy", () => {
  it("marks the fixture's step calls with call-site ids, recorded on the run's events", async () => {
    expect(markedSites(orderV1)).toHaveLength(4);
    const { runId } = await sleepingRun();
    const events = await eventsOf(runId);
    const started = events.filter((e) => e.type === "step_started" || e.type === "sleep_started");
    expect(started.map((e) => e.stepId)).toEqual(["cs-charge#0", "cs-charge#1", "sleep#0"]);
    for (const event of started) expect(event.site).toMatch(/^[0-9a-z]{8}#0$/);
  });

  const edits: [string, WorkflowDefinition, string[], string[]][] = [
    ["a call of the same action added before a recorded one", orderAddedBefore, ["first", "a", "x", "b"], ["first"]],
    ["a recorded call removed", orderRemoved, ["a", "b"], []],
    ["a branch added", orderBranch, ["a", "x", "branch", "b"], ["branch"]],
  ];

  it.each(edits)(
    "replays and finishes after %s, each completed step executed once",
    async (_, edited, items, added) => {
      const { runId, key } = await sleepingRun();
      deploy(edited);
      const run = await fireAlarmsUntil(runId, ["success", "failed", "blocked"]);
      expect(run.status).toBe("success");
      expect(run.output).toEqual({ items });
      for (const item of ["a", "x", "b", ...added]) expect(await sideEffectCount(`${key}:${item}`)).toBe(1);
      const types = (await eventsOf(runId)).map((e) => e.type);
      expect(types).not.toContain("run_blocked");
    },
  );

  it("replays a log recorded by un-instrumented code (no sites) under instrumented code", async () => {
    deploy(legacyOrder);
    const key = crypto.randomUUID();
    const runId = await startRun("cs-order", { key });
    await waitForStatus(runId, ["sleeping"]);
    expect((await eventsOf(runId)).filter((e) => e.site)).toEqual([]);
    deploy(orderV1);
    const run = await fireAlarmsUntil(runId, ["success", "failed", "blocked"]);
    expect(run.status).toBe("success");
    expect(run.output).toEqual({ items: ["a", "x", "b"] });
    for (const item of ["a", "x", "b"]) expect(await sideEffectCount(`${key}:${item}`)).toBe(1);
    // The step the instrumented code ran records its site; the replayed ones keep their ids.
    const started = (await eventsOf(runId)).filter((e) => e.type === "step_started");
    expect(started.map((e) => e.stepId)).toEqual(["cs-charge#0", "cs-charge#1", "cs-charge#2"]);
    expect(started.at(-1)?.site).toMatch(/^[0-9a-z]{8}#0$/);
  });
});

describe("version pinning", () => {
  it("records the code a run started on, shows it on the run and filters the history by it", async () => {
    deploy(orderV1);
    const structure = markedSites(orderV1).join(".");
    const runId = await startRun("cs-order", { key: crypto.randomUUID() });
    await waitForStatus(runId, ["sleeping"]);
    const run = (await getRun(runId)) as unknown as { version?: { structure?: string; deployment?: string } };
    expect(run.version?.structure).toBe(structure);
    deploy(orderBranch);
    const other = await startRun("cs-order", { key: crypto.randomUUID() });
    await waitForStatus(other, ["sleeping"]);
    const listed = async (version: string) => {
      const response = await request(`/runs?workflow=cs-order&version=${encodeURIComponent(version)}&limit=500`);
      return ((await response.json()) as { runs: { runId: string }[] }).runs.map((r) => r.runId);
    };
    const onFirst = await listed(structure);
    expect(onFirst).toContain(runId);
    expect(onFirst).not.toContain(other);
    expect(await listed(markedSites(orderBranch).join("."))).toEqual([other]);
  });
});
