import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import * as action from "cairn-workflows/action";
import { defineAction } from "cairn-workflows/action";
import * as client from "cairn-workflows/client";
import { executeWorkflow, MemoryEventLog, type RunEvent, resumeHook } from "cairn-workflows/testing";
import * as workflow from "cairn-workflows/workflow";
import { defineWorkflow, HookTimeoutError, NonRetryableError, ValidationError } from "cairn-workflows/workflow";
import type { NewRunEvent } from "../../sdk/engine/events.ts";
import { decodeEvent, encodeEvent } from "../../src/log/event-codec.ts";

/**
 * The log as a fresh run object loads it from SQLite: each event through its row encoding
 * (JSON), without the run's end unless asked, so the workflow's code runs again from the top.
 */
function reloaded(events: readonly RunEvent[], keepEnd = false): MemoryEventLog {
  const rows = events
    .filter((event) => keepEnd || event.type !== "run_completed")
    .map(({ seq, at, ...event }) => decodeEvent({ ...encodeEvent(event as NewRunEvent), seq, at }));
  return new MemoryEventLog({ events: rows });
}

type ErrorClass = new (...args: unknown[]) => Error;
const errorClasses = new Map<string, ErrorClass>();
for (const module of [workflow, action, client])
  for (const value of Object.values(module))
    if (typeof value === "function" && value.prototype instanceof Error)
      errorClasses.set(value.name, value as ErrorClass);

class PaymentDeclined extends NonRetryableError {
  constructor() {
    super("card declined");
    this.name = "PaymentDeclined";
  }
}

describe("replay takes the path the live pass took", () => {
  it("catches every exported error class (and a user subclass) with the same instanceof live and on replay", async () => {
    let executions = 0;
    const thrower = defineAction({
      slug: "thrower",
      input: z.object({ which: z.string() }),
      output: z.number(),
      retries: 1,
      run: async ({ which }) => {
        executions++;
        if (which === "invalid-output") return "not a number" as unknown as number;
        if (which === "PaymentDeclined") throw new PaymentDeclined();
        throw new (errorClasses.get(which) as ErrorClass)("first", "second", "third", { field: 1 });
      },
    });
    const cases = [...errorClasses.keys(), "PaymentDeclined", "invalid-output"];
    const wf = defineWorkflow({
      slug: "catcher",
      input: z.object({}),
      output: z.array(z.unknown()),
      run: async () => {
        const seen: unknown[] = [];
        for (const which of cases) {
          try {
            await thrower.run({ which });
          } catch (error) {
            const e = error as Error & { code?: string };
            const isA = [...errorClasses].filter(([, ctor]) => e instanceof ctor).map(([name]) => name);
            // The case: a workflow branching on an action's invalid output.
            const branch = e instanceof ValidationError ? "validation" : "other";
            seen.push({ which, name: e.name, code: e.code, message: e.message, isA, branch });
          }
        }
        return seen;
      },
    });
    const log = new MemoryEventLog();
    const live = await executeWorkflow(wf, {}, { eventLog: log });
    expect(live.status).toBe("completed");
    const replay = await executeWorkflow(wf, {}, { eventLog: reloaded(log.events) });
    expect(replay).toEqual(live);
    expect(executions).toBe(cases.length);
    const output = (live as { output: { which: string; isA: string[]; branch: string }[] }).output;
    expect(output.find((c) => c.which === "invalid-output")?.branch).toBe("validation");
    expect(output.find((c) => c.which === "PaymentDeclined")?.isA).toEqual(["NonRetryableError"]);
    for (const name of errorClasses.keys()) expect(output.find((c) => c.which === name)?.isA).toContain(name);
  });
});

/** Runs `value` through an action live, then replays the stored log: what the code saw each time. */
async function liveAndReplayed(value: unknown, output: z.ZodType = z.any()) {
  let seen: unknown[] = [];
  const produce = defineAction({ slug: "produce", input: z.object({}), output, run: async () => value });
  const wf = defineWorkflow({
    slug: "values",
    input: z.object({}),
    output,
    run: async () => {
      const result = await produce.run({});
      seen.push(result);
      return result;
    },
  });
  const log = new MemoryEventLog();
  const live = await executeWorkflow(wf, {}, { eventLog: log });
  const liveSeen = seen;
  seen = [];
  const replay = await executeWorkflow(wf, {}, { eventLog: reloaded(log.events) });
  const finished = await executeWorkflow(wf, {}, { eventLog: reloaded(log.events, true) });
  return { live, liveSeen: liveSeen[0], replay, replaySeen: seen[0], finished };
}

describe("values come back as they went in", () => {
  it("gives the code the same value live and on replay, types included, for random values", async () => {
    const key = fc.oneof(fc.string(), fc.constantFrom("$cairn", "v", "__proto__"));
    const values = fc.anything({
      key,
      maxDepth: 3,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
    });
    await fc.assert(
      fc.asyncProperty(values, async (value) => {
        const { live, liveSeen, replay, replaySeen, finished } = await liveAndReplayed(value);
        expect(liveSeen).toStrictEqual(value);
        expect(replaySeen).toStrictEqual(value);
        expect(live).toStrictEqual({ status: "completed", output: value });
        expect(replay).toStrictEqual(live);
        expect(finished).toStrictEqual(live);
      }),
      { numRuns: 150 },
    );
  });

  it("replays z.date(), z.bigint(), z.map() and z.set() outputs instead of failing their schema", async () => {
    const schema = z.object({
      at: z.date(),
      amount: z.bigint(),
      byId: z.map(z.string(), z.date()),
      tags: z.set(z.string()),
      note: z.string().optional(),
    });
    const value = {
      at: new Date("2024-05-01T10:00:00Z"),
      amount: 12n ** 30n,
      byId: new Map([["a", new Date(0)]]),
      tags: new Set(["x", "y"]),
      note: undefined,
    };
    const { live, liveSeen, replay, replaySeen, finished } = await liveAndReplayed(value, schema);
    expect(live).toStrictEqual({ status: "completed", output: value });
    expect(liveSeen).toStrictEqual(value);
    expect(replaySeen).toStrictEqual(value);
    expect(replay).toStrictEqual(live);
    expect(finished).toStrictEqual(live);
  });

  it("fails a step whose output cannot be stored, naming the path, the same way live and on replay", async () => {
    const { live, replay } = await liveAndReplayed({ items: [1, 2, { fn: () => 3 }] });
    expect(live.status).toBe("failed");
    const error = (live as { error?: unknown }).error as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe("unstorable_output");
    expect(error.message).toContain("output.items[2].fn");
    expect(replay).toEqual(live);
  });
});

describe("events appended from outside a running pass", () => {
  afterEach(() => vi.useRealTimers());

  /** A hook with a 2 s timeout, a step that outlasts it, then `await hook`; the step calls `during`. */
  function raceWorkflow(during: (token: string) => void) {
    const slow = defineAction({
      slug: "slow",
      input: z.object({ token: z.string() }),
      output: z.null(),
      run: async ({ token }) => {
        during(token);
        // The step runs past the hook's timeout.
        vi.setSystemTime(Date.now() + 3_000);
        return null;
      },
    });
    const note = defineAction({
      slug: "note",
      input: z.object({ branch: z.string() }),
      output: z.string(),
      run: async ({ branch }) => branch,
    });
    return defineWorkflow({
      slug: "race",
      input: z.object({}),
      output: z.string(),
      run: async (_input, ctx) => {
        const hook = ctx.hook({ timeout: "2s" });
        await slow.run({ token: hook.token });
        let branch: string;
        try {
          await hook;
          branch = "resumed";
        } catch (error) {
          if (!(error instanceof HookTimeoutError)) throw error;
          branch = "timed_out";
        }
        await note.run({ branch });
        await ctx.sleep("1h");
        return branch;
      },
    });
  }

  it("takes the resumed branch when the hook is resumed while a step runs past its timeout", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const log = new MemoryEventLog();
    // What the run object does when POST /hooks/:token arrives during the pass: append to the shared log.
    const wf = raceWorkflow((token) => resumeHook(log, token, { ok: true }));
    const first = await executeWorkflow(wf, {}, { eventLog: log });
    expect(first.status).toBe("suspended");
    expect(log.events.map((e) => e.type)).not.toContain("hook_timed_out");
    const later = Date.now() + 2 * 3_600_000;
    const done = await executeWorkflow(wf, {}, { eventLog: log, now: later });
    expect(done).toEqual({ status: "completed", output: "resumed" });
  });

  it("records nothing more once the run is canceled from outside during a step", async () => {
    const log = new MemoryEventLog();
    const wf = raceWorkflow(() => log.append({ type: "run_canceled", reason: "by a user" }));
    vi.useFakeTimers({ toFake: ["Date"] });
    const outcome = await executeWorkflow(wf, {}, { eventLog: log });
    expect(outcome).toEqual({ status: "failed", error: new Error("run canceled") });
    expect(log.events.at(-1)?.type).toBe("run_canceled");
  });
});
