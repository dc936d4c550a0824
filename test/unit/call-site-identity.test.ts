// Call-site step identity in the pure driver (decision 0016): edits elsewhere in the code leave a
// recorded run's ids alone, an edited call with other input blocks the run with a readable diff
// (decision 0018), logs recorded before call-site ids replay, and `ctx.patched` picks a path once.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { atCallSite } from "cairn-workflows/call-site";
import { executeWorkflow, MemoryEventLog } from "cairn-workflows/testing";
import { defineWorkflow } from "cairn-workflows/workflow";
import { checkReplay } from "../../sdk/engine/replay-check.ts";
import type { RunEvent } from "../../sdk/engine/events.ts";

const HOUR = 3_600_000;

function charges() {
  const calls: number[] = [];
  const charge = defineAction({
    slug: "charge",
    input: z.object({ amount: z.number() }),
    output: z.object({ charged: z.number() }),
    run: async ({ amount }) => {
      calls.push(amount);
      return { charged: amount };
    },
  });
  return { calls, charge };
}

type Body = (ctx: Parameters<Parameters<typeof defineWorkflow>[0]["run"]>[1]) => Promise<number[]>;

/** A workflow whose body a test swaps, as a deploy would. */
function editable(initial: Body) {
  const code = { body: initial };
  const workflow = defineWorkflow({
    slug: "editable",
    input: z.object({}),
    output: z.array(z.number()),
    run: (_input, ctx) => code.body(ctx),
  });
  return { code, workflow };
}

const stepIds = (events: readonly RunEvent[], type = "step_started") =>
  events.flatMap((e) => (e.type === type && "stepId" in e ? [e.stepId] : []));

const sites = (events: readonly RunEvent[]) =>
  Object.fromEntries(
    events.flatMap((e) =>
      (e.type === "step_started" || e.type === "sleep_started") && e.site ? [[e.stepId, e.site]] : [],
    ),
  );

describe("call-site step ids", () => {
  it("records each step's call site and occurrence", async () => {
    const { charge } = charges();
    const { workflow } = editable(async (ctx) => {
      const out: number[] = [];
      for (const amount of [1, 2]) out.push((await atCallSite("s-loop", charge).run({ amount })).charged);
      await atCallSite("s-sleep", ctx).sleep("1h");
      return out;
    });
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    expect(sites(log.events)).toEqual({ "charge#0": "s-loop#0", "charge#1": "s-loop#1", "sleep#0": "s-sleep#0" });
  });

  it("replays a run after a call of the same action is added before a recorded one, executing only the new call", async () => {
    const { calls, charge } = charges();
    const { code, workflow } = editable(async (ctx) => {
      const a = await atCallSite("s-a", charge).run({ amount: 10 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [a.charged];
    });
    const log = new MemoryEventLog();
    expect((await executeWorkflow(workflow, {}, { eventLog: log })).status).toBe("suspended");
    code.body = async (ctx) => {
      const added = await atCallSite("s-new", charge).run({ amount: 5 });
      const a = await atCallSite("s-a", charge).run({ amount: 10 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [added.charged, a.charged];
    };
    const result = await executeWorkflow(workflow, {}, { eventLog: log, now: Date.now() + 2 * HOUR });
    expect(result).toEqual({ status: "completed", output: [5, 10] });
    expect(calls).toEqual([10, 5]);
    // The recorded call keeps its id; the new one takes the next free id of its name.
    expect(sites(log.events)).toMatchObject({ "charge#0": "s-a#0", "charge#1": "s-new#0" });
  });

  it("replays a run after a recorded call is removed, and after a branch is added", async () => {
    const { calls, charge } = charges();
    const { code, workflow } = editable(async (ctx) => {
      await atCallSite("s-a", charge).run({ amount: 1 });
      const b = await atCallSite("s-b", charge).run({ amount: 2 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [b.charged];
    });
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    code.body = async (ctx) => {
      const b = await atCallSite("s-b", charge).run({ amount: 2 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [b.charged];
    };
    expect(await checkReplay(workflow, log.events, { callSites: new Set(["s-b", "s-sleep"]) })).toEqual({ ok: true });
    code.body = async (ctx) => {
      await atCallSite("s-a", charge).run({ amount: 1 });
      const b = await atCallSite("s-b", charge).run({ amount: 2 });
      const extra = b.charged > 1 ? [(await atCallSite("s-branch", charge).run({ amount: 3 })).charged] : [];
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [b.charged, ...extra];
    };
    const callSites = new Set(["s-a", "s-b", "s-branch", "s-sleep"]);
    expect(await checkReplay(workflow, log.events, { callSites })).toEqual({ ok: true });
    const result = await executeWorkflow(workflow, {}, { eventLog: log, now: Date.now() + 2 * HOUR });
    expect(result).toEqual({ status: "completed", output: [2, 3] });
    expect(calls).toEqual([1, 2, 3]);
  });

  it("runs a later call of a removed call's action as new work: the replay had passed the removed call", async () => {
    const { calls, charge } = charges();
    const { code, workflow } = editable(async (ctx) => {
      await atCallSite("s-a", charge).run({ amount: 1 });
      await atCallSite("s-x", charge).run({ amount: 9 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [(await atCallSite("s-b", charge).run({ amount: 2 })).charged];
    });
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    code.body = async (ctx) => {
      await atCallSite("s-a", charge).run({ amount: 1 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [(await atCallSite("s-b", charge).run({ amount: 2 })).charged];
    };
    expect(await checkReplay(workflow, log.events, { callSites: new Set(["s-a", "s-b", "s-sleep"]) })).toEqual({
      ok: true,
    });
    const result = await executeWorkflow(workflow, {}, { eventLog: log, now: Date.now() + 2 * HOUR });
    expect(result).toEqual({ status: "completed", output: [2] });
    expect(calls).toEqual([1, 9, 2]);
  });

  it("takes a new call of a removed call's action with other input for an edit of it, and blocks", async () => {
    const { charge } = charges();
    const { code, workflow } = editable(async (ctx) => {
      await atCallSite("s-a", charge).run({ amount: 1 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [];
    });
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    code.body = async (ctx) => {
      await atCallSite("s-other", charge).run({ amount: 3 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [];
    };
    const check = await checkReplay(workflow, log.events, { callSites: new Set(["s-other", "s-sleep"]) });
    expect(check).toMatchObject({ ok: false, reason: { stepId: "charge#0", diff: ["input.amount: 1 → 3"] } });
  });

  it("blocks the run when a recorded call's input changed, naming the step, the site and the diff", async () => {
    const { calls, charge } = charges();
    const { code, workflow } = editable(async (ctx) => {
      const a = await atCallSite("s-a", charge).run({ amount: 10 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [a.charged];
    });
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    code.body = async (ctx) => {
      const a = await atCallSite("s-a", charge).run({ amount: 12 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [a.charged];
    };
    const result = await executeWorkflow(workflow, {}, { eventLog: log, now: Date.now() + 2 * HOUR });
    expect(result.status).toBe("blocked");
    if (result.status !== "blocked") return;
    expect(result.reason).toMatchObject({
      code: "non_determinism",
      stepId: "charge#0",
      site: "s-a#0",
      recorded: { kind: "action", name: "charge", input: { amount: 10 } },
      current: { kind: "action", name: "charge", input: { amount: 12 } },
      diff: ["input.amount: 10 → 12"],
    });
    expect(calls).toEqual([10]);
    const blocked = log.events.filter((e) => e.type === "run_blocked");
    expect(blocked).toHaveLength(1);
    // Replaying the same code again records nothing more.
    await executeWorkflow(workflow, {}, { eventLog: log, now: Date.now() + 2 * HOUR });
    expect(log.events.filter((e) => e.type === "run_blocked")).toHaveLength(1);
    expect(log.events.at(-1)?.type).toBe("run_blocked");
  });

  it("takes a call at a new site for the recorded one whose site left the code when the input is the same", async () => {
    const { calls, charge } = charges();
    const { code, workflow } = editable(async (ctx) => {
      const a = await atCallSite("s-old", charge).run({ amount: 7 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [a.charged];
    });
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    code.body = async (ctx) => {
      const a = await atCallSite("s-moved", charge).run({ amount: 7 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [a.charged];
    };
    const callSites = new Set(["s-moved", "s-sleep"]);
    expect(await checkReplay(workflow, log.events, { callSites })).toEqual({ ok: true });
    code.body = async (ctx) => {
      const a = await atCallSite("s-moved", charge).run({ amount: 8 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [a.charged];
    };
    const check = await checkReplay(workflow, log.events, { callSites });
    expect(check).toMatchObject({ ok: false, reason: { stepId: "charge#0", site: "s-moved#0" } });
    expect(calls).toEqual([7]);
  });

  it("replays a log recorded by un-instrumented code under instrumented code", async () => {
    const { calls, charge } = charges();
    const { code, workflow } = editable(async (ctx) => {
      const a = await charge.run({ amount: 1 });
      const b = await charge.run({ amount: 2 });
      await ctx.sleep("1h");
      return [a.charged, b.charged];
    });
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    expect(sites(log.events)).toEqual({});
    code.body = async (ctx) => {
      const a = await atCallSite("s-a", charge).run({ amount: 1 });
      const b = await atCallSite("s-b", charge).run({ amount: 2 });
      await atCallSite("s-sleep", ctx).sleep("1h");
      const c = await atCallSite("s-c", charge).run({ amount: 3 });
      return [a.charged, b.charged, c.charged];
    };
    const result = await executeWorkflow(workflow, {}, { eventLog: log, now: Date.now() + 2 * HOUR });
    expect(result).toEqual({ status: "completed", output: [1, 2, 3] });
    expect(calls).toEqual([1, 2, 3]);
    expect(stepIds(log.events, "step_completed")).toEqual(["charge#0", "charge#1", "charge#2"]);
  });

  it("keeps today's per-name ids for calls without a site", async () => {
    const { charge } = charges();
    const { workflow } = editable(async () => [
      (await charge.run({ amount: 1 })).charged,
      (await atCallSite("s-x", charge).run({ amount: 2 })).charged,
      (await charge.run({ amount: 3 })).charged,
    ]);
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    expect(stepIds(log.events)).toEqual(["charge#0", "charge#1", "charge#2"]);
  });
});

describe("ctx.patched", () => {
  function patchedWorkflow(calls: string[]) {
    const step = defineAction({
      slug: "step",
      input: z.object({ path: z.string() }),
      output: z.string(),
      run: async ({ path }) => {
        calls.push(path);
        return path;
      },
    });
    return editable(async (ctx) => {
      await atCallSite("s-first", step).run({ path: "first" });
      await atCallSite("s-old", step).run({ path: "old" });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [];
    });
  }

  it("keeps a run that recorded the old path on it and sends a new run down the new one", async () => {
    const calls: string[] = [];
    const { code, workflow } = patchedWorkflow(calls);
    const old = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: old });
    const step = defineAction({
      slug: "step",
      input: z.object({ path: z.string() }),
      output: z.string(),
      run: async ({ path }) => {
        calls.push(path);
        return path;
      },
    });
    const seen: boolean[] = [];
    code.body = async (ctx) => {
      await atCallSite("s-first", step).run({ path: "first" });
      const patched = atCallSite("s-patch", ctx).patched("v2");
      seen.push(patched);
      if (patched) await atCallSite("s-new", step).run({ path: "new" });
      else await atCallSite("s-old", step).run({ path: "old" });
      await atCallSite("s-sleep", ctx).sleep("1h");
      return [];
    };
    const later = Date.now() + 2 * HOUR;
    expect((await executeWorkflow(workflow, {}, { eventLog: old, now: later })).status).toBe("completed");
    const fresh = new MemoryEventLog();
    expect((await executeWorkflow(workflow, {}, { eventLog: fresh })).status).toBe("suspended");
    expect((await executeWorkflow(workflow, {}, { eventLog: fresh, now: later })).status).toBe("completed");
    // old run: false once (recorded, then replayed); new run: true, and true again on replay.
    expect(seen).toEqual([false, true, true]);
    expect(calls).toEqual(["first", "old", "first", "new"]);
    const decisions = old.events.filter((e) => e.type === "step_started" && e.kind === "patch");
    expect(decisions).toHaveLength(1);
  });

  it("takes the new path in an old run that had not reached the patch yet", async () => {
    const calls: string[] = [];
    const { code, workflow } = patchedWorkflow(calls);
    const log = new MemoryEventLog();
    await executeWorkflow(workflow, {}, { eventLog: log });
    let seen: boolean | undefined;
    code.body = async (ctx) => {
      await atCallSite("s-first", defineStep(calls)).run({ path: "first" });
      await atCallSite("s-old", defineStep(calls)).run({ path: "old" });
      await atCallSite("s-sleep", ctx).sleep("1h");
      seen = atCallSite("s-patch", ctx).patched("after-sleep");
      return [];
    };
    await executeWorkflow(workflow, {}, { eventLog: log, now: Date.now() + 2 * HOUR });
    expect(seen).toBe(true);
  });
});

function defineStep(calls: string[]) {
  return defineAction({
    slug: "step",
    input: z.object({ path: z.string() }),
    output: z.string(),
    run: async ({ path }) => {
      calls.push(path);
      return path;
    },
  });
}
