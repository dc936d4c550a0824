// The pure driver in plain Node: step ids, replay of recorded steps, retries, sleeps, hooks, limits.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { executeWorkflow, MemoryEventLog, resumeHook } from "cairn-workflows/testing";
import { defineWorkflow, HookTimeoutError } from "cairn-workflows/workflow";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { inputHash } from "../../sdk/engine/input-hash.ts";

function counter() {
  const calls: unknown[] = [];
  const action = defineAction({
    slug: "double",
    input: z.object({ n: z.number() }),
    output: z.object({ n: z.number() }),
    run: async ({ n }) => {
      calls.push(n);
      return { n: n * 2 };
    },
  });
  return { calls, action };
}

/** The step events of a log as [type, stepId], in log order. */
function stepEvents(events: readonly RunEvent[]): [string, string][] {
  return events.flatMap((e) => ("stepId" in e && e.stepId ? [[e.type, e.stepId] as [string, string]] : []));
}

describe("driver", () => {
  it("runs actions in sequence and records each step once", async () => {
    const { calls, action } = counter();
    const wf = defineWorkflow({
      slug: "seq",
      input: z.object({ n: z.number() }),
      output: z.number(),
      run: async ({ n }) => (await action.run({ n: (await action.run({ n })).n })).n,
    });
    const log = new MemoryEventLog();
    const result = await executeWorkflow(wf, { n: 3 }, { eventLog: log });
    expect(result).toEqual({ status: "completed", output: 12 });
    expect(calls).toEqual([3, 6]);
    expect(stepEvents(log.events)).toEqual([
      ["step_started", "double#0"],
      ["step_completed", "double#0"],
      ["step_started", "double#1"],
      ["step_completed", "double#1"],
    ]);
  });

  it("numbers Promise.all steps in array order and replays them without executing", async () => {
    const { calls, action } = counter();
    let codeRuns = 0;
    const wf = defineWorkflow({
      slug: "par",
      input: z.object({}),
      output: z.array(z.number()),
      run: async () => {
        codeRuns++;
        return (await Promise.all([action.run({ n: 1 }), action.run({ n: 2 }), action.run({ n: 3 })])).map((r) => r.n);
      },
    });
    const recorded = new MemoryEventLog();
    expect(await executeWorkflow(wf, {}, { eventLog: recorded })).toEqual({ status: "completed", output: [2, 4, 6] });
    expect(calls).toEqual([1, 2, 3]);
    // Ids follow the array position: double#k started with the k-th input and recorded its output.
    const started = recorded.events.flatMap((e) => (e.type === "step_started" ? [[e.stepId, e.inputHash]] : []));
    expect(started).toEqual([
      ["double#0", inputHash({ n: 1 })],
      ["double#1", inputHash({ n: 2 })],
      ["double#2", inputHash({ n: 3 })],
    ]);
    const outputs = recorded.events.flatMap((e) => (e.type === "step_completed" ? [[e.stepId, e.output]] : []));
    expect(Object.fromEntries(outputs)).toEqual({ "double#0": { n: 2 }, "double#1": { n: 4 }, "double#2": { n: 6 } });

    // A second pass, by a fresh driver, over the steps the first one recorded (the run's end is
    // left out, or the driver would answer from it without running the code at all).
    const steps = recorded.events.filter((e) => e.type !== "run_completed").map((e) => ({ ...e }));
    const replay = new MemoryEventLog({ events: steps });
    expect(await executeWorkflow(wf, {}, { eventLog: replay })).toEqual({ status: "completed", output: [2, 4, 6] });
    expect(codeRuns).toBe(2);
    expect(calls).toEqual([1, 2, 3]);
    // Nothing but the run's end was appended: no step started or completed again.
    expect(replay.events.slice(steps.length).map((e) => e.type)).toEqual(["run_completed"]);
  });

  it("suspends on a failing step with a retry wait and succeeds on a later attempt", async () => {
    let attempts = 0;
    const flaky = defineAction({
      slug: "flaky",
      input: z.object({}),
      output: z.string(),
      retries: { maxAttempts: 3, initialDelay: "1s" },
      run: async () => {
        attempts++;
        if (attempts < 3) throw new Error(`boom ${attempts}`);
        return "ok";
      },
    });
    const wf = defineWorkflow({
      slug: "retry",
      input: z.object({}),
      output: z.string(),
      run: async () => flaky.run({}),
    });
    const log = new MemoryEventLog();
    const t0 = Date.now();
    const first = await executeWorkflow(wf, {}, { eventLog: log, now: t0 });
    expect(first.status).toBe("suspended");
    if (first.status !== "suspended") return;
    expect(first.items[0]).toMatchObject({ kind: "retry", stepId: "flaky#0" });
    const second = await executeWorkflow(wf, {}, { eventLog: log, now: t0 + 1_500 });
    expect(second.status).toBe("suspended");
    const third = await executeWorkflow(wf, {}, { eventLog: log, now: t0 + 10_000 });
    expect(third).toEqual({ status: "completed", output: "ok" });
    expect(
      log.events.filter((e) => e.type === "step_retrying").map((e) => e.type === "step_retrying" && e.error.message),
    ).toEqual(["boom 1", "boom 2"]);
  });

  it("throws the final failure into the workflow where try/catch compensates", async () => {
    const broken = defineAction({
      slug: "broken",
      input: z.object({}),
      output: z.string(),
      retries: 1,
      run: async () => {
        throw new TypeError("card declined");
      },
    });
    const wf = defineWorkflow({
      slug: "comp",
      input: z.object({}),
      output: z.string(),
      run: async () => {
        try {
          return await broken.run({});
        } catch (error) {
          return `compensated: ${(error as Error).name}: ${(error as Error).message}`;
        }
      },
    });
    const log = new MemoryEventLog();
    expect(await executeWorkflow(wf, {}, { eventLog: log })).toEqual({
      status: "completed",
      output: "compensated: TypeError: card declined",
    });
    log.events.pop();
    expect(await executeWorkflow(wf, {}, { eventLog: log })).toEqual({
      status: "completed",
      output: "compensated: TypeError: card declined",
    });
  });

  it("sleeps until the logical clock passes wakeAt", async () => {
    const wf = defineWorkflow({
      slug: "sleepy",
      input: z.object({}),
      output: z.string(),
      run: async (_, ctx) => {
        await ctx.sleep("1h");
        return "awake";
      },
    });
    const log = new MemoryEventLog();
    const t0 = Date.now();
    const first = await executeWorkflow(wf, {}, { eventLog: log, now: t0 });
    expect(first).toMatchObject({ status: "suspended", items: [{ kind: "sleep", stepId: "sleep#0" }] });
    if (first.status !== "suspended") return;
    const wakeAt = (first.items[0] as { wakeAt: number }).wakeAt;
    expect(wakeAt).toBeGreaterThanOrEqual(t0 + 3_600_000);
    expect((await executeWorkflow(wf, {}, { eventLog: log, now: wakeAt - 1 })).status).toBe("suspended");
    expect(await executeWorkflow(wf, {}, { eventLog: log, now: wakeAt })).toEqual({
      status: "completed",
      output: "awake",
    });
  });

  it("delivers a hook resume, keeps the token on replay, and times out into a catchable error", async () => {
    const tokens: string[] = [];
    const wf = defineWorkflow({
      slug: "hooky",
      input: z.object({}),
      output: z.string(),
      run: async (_, ctx) => {
        const approval = ctx.hook({ schema: z.object({ ok: z.boolean() }), timeout: "1d" });
        tokens.push(approval.token);
        try {
          const { ok } = await approval;
          return ok ? "approved" : "rejected";
        } catch (error) {
          return error instanceof HookTimeoutError ? "escalated" : "other";
        }
      },
    });
    const log = new MemoryEventLog();
    const t0 = Date.now();
    const first = await executeWorkflow(wf, {}, { eventLog: log, now: t0 });
    expect(first.status).toBe("suspended");
    resumeHook(log, tokens[0]!, { ok: true });
    expect(await executeWorkflow(wf, {}, { eventLog: log, now: t0 })).toEqual({
      status: "completed",
      output: "approved",
    });
    expect(tokens[1]).toBe(tokens[0]);

    const late = new MemoryEventLog();
    await executeWorkflow(wf, {}, { eventLog: late, now: t0 });
    expect(await executeWorkflow(wf, {}, { eventLog: late, now: t0 + 86_401_000 })).toEqual({
      status: "completed",
      output: "escalated",
    });
  });

  it("replays Promise.race of a hook and a sleep in the order it first resolved", async () => {
    const wf = defineWorkflow({
      slug: "race",
      input: z.object({}),
      output: z.string(),
      run: async (_, ctx) => {
        const approval = ctx.hook();
        return Promise.race([approval.then(() => "hook"), ctx.sleep("1h").then(() => "sleep")]);
      },
    });
    const log = new MemoryEventLog();
    const t0 = Date.now();
    await executeWorkflow(wf, {}, { eventLog: log, now: t0 });
    expect(await executeWorkflow(wf, {}, { eventLog: log, now: t0 + 3_600_500 })).toEqual({
      status: "completed",
      output: "sleep",
    });
    const token = log.events.find((e) => e.type === "hook_created");
    resumeHook(log, (token as { token: string }).token, {});
    log.events.splice(
      log.events.findIndex((e) => e.type === "run_completed"),
      1,
    );
    expect(await executeWorkflow(wf, {}, { eventLog: log, now: t0 + 3_600_500 })).toEqual({
      status: "completed",
      output: "sleep",
    });
  });

  it("runs a sub-workflow inline with prefixed step ids", async () => {
    const { action } = counter();
    const child = defineWorkflow({
      slug: "child",
      input: z.object({ n: z.number() }),
      output: z.number(),
      run: async ({ n }) => (await action.run({ n })).n,
    });
    const parent = defineWorkflow({
      slug: "parent",
      input: z.object({}),
      output: z.number(),
      run: async () => (await child.run({ n: 1 })) + (await child.run({ n: 2 })),
    });
    const log = new MemoryEventLog();
    expect(await executeWorkflow(parent, {}, { eventLog: log })).toEqual({ status: "completed", output: 6 });
    const ids = log.events.filter((e) => e.type === "step_completed").map((e) => (e as { stepId: string }).stepId);
    expect(ids).toEqual(["child#0/double#0", "child#0", "child#1/double#0", "child#1"]);
  });

  it("blocks the run (non_determinism) when a replay calls a step with other input", async () => {
    const { action } = counter();
    let n = 1;
    const wf = defineWorkflow({
      slug: "nondet",
      input: z.object({}),
      output: z.number(),
      run: async (_, ctx) => {
        const r = await action.run({ n });
        await ctx.sleep("1h");
        return r.n;
      },
    });
    const log = new MemoryEventLog();
    await executeWorkflow(wf, {}, { eventLog: log });
    n = 2;
    const result = await executeWorkflow(wf, {}, { eventLog: log });
    expect(result.status).toBe("blocked");
    if (result.status !== "blocked") return;
    expect(result.reason).toMatchObject({ code: "non_determinism", stepId: "double#0", diff: ["input.n: 1 → 2"] });
    expect(result.reason.message).toContain("double#0");
    expect(log.events.at(-1)?.type).toBe("run_blocked");
  });

  it("uses a seeded step output instead of executing, and re-validates it", async () => {
    const { calls, action } = counter();
    const wf = defineWorkflow({
      slug: "seeded",
      input: z.object({}),
      output: z.number(),
      run: async () => (await action.run({ n: 5 })).n,
    });
    const log = new MemoryEventLog();
    log.seedStepCompleted("double#0", { n: 99 });
    expect(await executeWorkflow(wf, {}, { eventLog: log })).toEqual({ status: "completed", output: 99 });
    expect(calls).toEqual([]);
    const bad = new MemoryEventLog();
    bad.seedStepCompleted("double#0", { n: "not a number" });
    const rejected = await executeWorkflow(wf, {}, { eventLog: bad });
    expect(rejected.status).toBe("failed");
    if (rejected.status !== "failed") return;
    // The failure names the recorded field that broke the output schema, and nothing executed.
    expect(rejected.error.message).toMatch(/expected number/);
    expect(rejected.error.message).toContain('"n"');
    expect(calls).toEqual([]);
  });
});

describe("driver limits and validation", () => {
  it("aborts an attempt that passes its timeout and counts it as a failed attempt", async () => {
    let aborted = false;
    const slow = defineAction({
      slug: "slow",
      input: z.object({}),
      output: z.string(),
      timeout: 20,
      retries: 1,
      run: (_input, _credentials, { signal }) =>
        new Promise<string>((resolve) => {
          signal.addEventListener("abort", () => {
            aborted = true;
          });
          setTimeout(() => resolve("late"), 200);
        }),
    });
    const wf = defineWorkflow({
      slug: "slowwf",
      input: z.object({}),
      output: z.string(),
      run: async () => slow.run({}),
    });
    const log = new MemoryEventLog();
    const result = await executeWorkflow(wf, {}, { eventLog: log });
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.error).toMatchObject({ name: "StepTimeoutError", code: "step_timed_out" });
    expect(aborted).toBe(true);
    // The timed-out attempt is the step's one attempt, recorded as its failure.
    const failures = log.events.filter((e) => e.type === "step_failed" || e.type === "step_retrying");
    expect(failures).toEqual([
      expect.objectContaining({
        type: "step_failed",
        stepId: "slow#0",
        error: expect.objectContaining({ code: "step_timed_out" }),
      }),
    ]);
  });

  it("applies the workflow's retry policy to actions that set none", async () => {
    let attempts = 0;
    const flaky = defineAction({
      slug: "always-fails",
      input: z.object({}),
      output: z.string(),
      run: async () => {
        attempts++;
        throw new Error("nope");
      },
    });
    const wf = defineWorkflow({
      slug: "oneshot",
      input: z.object({}),
      output: z.string(),
      retries: 1,
      run: async () => flaky.run({}),
    });
    expect((await executeWorkflow(wf, {})).status).toBe("failed");
    expect(attempts).toBe(1);
  });

  it("fails the run with invalid_output when the workflow returns the wrong shape", async () => {
    const wf = defineWorkflow({
      slug: "badout",
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      run: async () => ({ ok: "yes" }) as never,
    });
    const result = await executeWorkflow(wf, {});
    expect(result.status).toBe("failed");
    if (result.status !== "failed") return;
    expect(result.error).toMatchObject({ code: "invalid_output" });
  });

  it("replaces a step with a stub by name and validates the stub's output", async () => {
    const { calls, action } = counter();
    const wf = defineWorkflow({
      slug: "stubbed",
      input: z.object({}),
      output: z.number(),
      run: async () => (await action.run({ n: 1 })).n,
    });
    expect(await executeWorkflow(wf, {}, { stubs: { double: () => ({ n: 7 }) } })).toEqual({
      status: "completed",
      output: 7,
    });
    expect(calls).toEqual([]);
    const invalid = await executeWorkflow(wf, {}, { stubs: { double: () => ({ n: "x" }) } });
    expect(invalid.status).toBe("failed");
    if (invalid.status !== "failed") return;
    expect(invalid.error).toMatchObject({ code: "invalid_output" });
    expect(calls).toEqual([]);
  });

  it("refuses a sleep or hook in a workflow run outside a durable run", async () => {
    const wf = defineWorkflow({
      slug: "inline",
      input: z.object({}),
      output: z.string(),
      run: async (_input, ctx) => {
        await ctx.sleep("1s");
        return "never";
      },
    });
    await expect(wf.run({})).rejects.toThrow(/called ctx\.sleep.*sleeps and hooks need a durable run/);
    const hooked = defineWorkflow({
      slug: "inline-hook",
      input: z.object({}),
      output: z.string(),
      run: async (_input, ctx) => {
        await ctx.hook();
        return "never";
      },
    });
    await expect(hooked.run({})).rejects.toThrow(/called ctx\.hook.*sleeps and hooks need a durable run/);
  });
});

describe("run limits", () => {
  const tiny = defineAction({
    slug: "tiny",
    input: z.object({ i: z.number() }),
    output: z.number(),
    run: async ({ i }) => i,
  });

  it("fails the run with step_limit_exceeded past the step limit, even inside try/catch", async () => {
    const wf = defineWorkflow({
      slug: "many",
      input: z.object({}),
      output: z.number(),
      run: async () => {
        let sum = 0;
        try {
          for (let i = 0; i < 10; i++) sum += await tiny.run({ i });
        } catch {
          return -1;
        }
        return sum;
      },
    });
    const log = new MemoryEventLog();
    const { drive } = await import("../../sdk/engine/driver.ts");
    log.append({ type: "run_started", workflow: "many", input: {}, trigger: { type: "api" }, triggeredAt: Date.now() });
    const outcome = await drive(wf, log, { runId: "r", limits: { maxSteps: 5 } });
    expect(outcome).toMatchObject({ status: "failed", error: { code: "step_limit_exceeded" } });
  });

  it("fails a step whose output is over the size limit without retrying it", async () => {
    let calls = 0;
    const big = defineAction({
      slug: "big",
      input: z.object({}),
      output: z.string(),
      run: async () => {
        calls++;
        return "x".repeat(2 * 1024 * 1024);
      },
    });
    const wf = defineWorkflow({ slug: "bigwf", input: z.object({}), output: z.string(), run: async () => big.run({}) });
    const log = new MemoryEventLog();
    log.append({
      type: "run_started",
      workflow: "bigwf",
      input: {},
      trigger: { type: "api" },
      triggeredAt: Date.now(),
    });
    const { drive } = await import("../../sdk/engine/driver.ts");
    const outcome = await drive(wf, log, { runId: "r", limits: { maxOutputBytes: 1024 * 1024 } });
    expect(outcome).toMatchObject({ status: "failed", error: { code: "step_output_too_large" } });
    expect(calls).toBe(1);
  });

  it("fails a run whose sub-workflows nest deeper than the limit", async () => {
    const recurse: ReturnType<typeof defineWorkflow<z.ZodObject<{ depth: z.ZodNumber }>, z.ZodNumber>> = defineWorkflow(
      {
        slug: "recurse",
        input: z.object({ depth: z.number() }),
        output: z.number(),
        run: async ({ depth }) => (depth === 0 ? 0 : 1 + (await recurse.run({ depth: depth - 1 }))),
      },
    );
    expect(await executeWorkflow(recurse, { depth: 5 })).toEqual({ status: "completed", output: 5 });
    const deep = await executeWorkflow(recurse, { depth: 40 });
    expect(deep.status).toBe("failed");
    if (deep.status !== "failed") return;
    expect(deep.error).toMatchObject({ code: "nesting_too_deep" });
  });
});

describe("recorded outputs", () => {
  it("hands user code a copy, so mutating a step's result never changes the log", async () => {
    const list = defineAction({
      slug: "list",
      input: z.object({}),
      output: z.array(z.number()),
      run: async () => [1, 2],
    });
    const wf = defineWorkflow({
      slug: "mutator",
      input: z.object({}),
      output: z.number(),
      run: async (_input, ctx) => {
        const items = await list.run({});
        items.push(99);
        await ctx.sleep("1s");
        return items.length;
      },
    });
    const log = new MemoryEventLog();
    const t0 = Date.now();
    await executeWorkflow(wf, {}, { eventLog: log, now: t0 });
    const recorded = log.events.find((e) => e.type === "step_completed") as { output: number[] };
    expect(recorded.output).toEqual([1, 2]);
    expect(await executeWorkflow(wf, {}, { eventLog: log, now: t0 + 5_000 })).toEqual({
      status: "completed",
      output: 3,
    });
    expect(recorded.output).toEqual([1, 2]);
  });
});
