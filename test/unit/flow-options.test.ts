// Flow-control options are checked when a workflow is defined; keys and queue order are pure.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineWorkflow, UsageError } from "cairn-workflows/workflow";
import { flowSpecOf } from "../../sdk/engine/flow-spec.ts";
import { queueRank } from "../../src/flow/concurrency-slots.ts";
import { FlowKeyError, flowKeys } from "../../src/flow/flow-keys.ts";

const base = { input: z.object({ user: z.string() }), output: z.object({}), run: async () => ({}) };

describe("flow-control options at definition time", () => {
  it.each([
    [{ concurrency: { limit: 0 } }, "concurrency.limit must be an integer of at least 1"],
    [{ concurrency: { limit: 1.5 } }, "concurrency.limit must be an integer"],
    [{ rateLimit: { limit: 1, period: "soon" } }, "rateLimit.period is not a duration"],
    [{ rateLimit: { limit: 1, period: "1s", mode: "queue" } }, 'rateLimit.mode must be "delay" or "drop"'],
    [{ debounce: { period: "10s", maxWait: "1s" } }, "debounce.maxWait must be at least debounce.period"],
    [{ singleton: { mode: "replace" } }, 'singleton.mode must be "skip" or "cancel-running"'],
    [{ concurrency: { limit: 1, key: "user" } }, "concurrency.key must be a function"],
    [{ priority: () => 1 }, "priority orders the runs a concurrency limit queues"],
    [{ batch: { maxSize: 10, maxWait: "1s" } }, "batch needs an array input"],
  ])("rejects %j", (options, message) => {
    const define = () => defineWorkflow({ slug: "bad-flow", ...base, ...(options as object) });
    expect(define).toThrow(UsageError);
    expect(define).toThrow(message);
    expect(define).toThrow("workflow bad-flow");
  });

  it("resolves durations and defaults", () => {
    const workflow = defineWorkflow({
      slug: "good-flow",
      ...base,
      concurrency: { limit: 2, key: (input) => input.user },
      rateLimit: { limit: 5, period: "1m" },
      debounce: { period: "30s", maxWait: "5m" },
    });
    expect(flowSpecOf(workflow)).toMatchObject({
      concurrency: { limit: 2, holdWhileWaiting: false },
      rateLimit: { limit: 5, periodMs: 60_000, mode: "delay" },
      debounce: { periodMs: 30_000, maxWaitMs: 300_000 },
    });
    expect(flowSpecOf(defineWorkflow({ slug: "plain-flow", ...base }))).toBeUndefined();
  });
});

describe("flow keys", () => {
  it("computes a key per stage and names a failing key function", () => {
    const workflow = defineWorkflow({
      slug: "keys-flow",
      ...base,
      concurrency: { limit: 1, key: (input) => input.user },
      singleton: { mode: "skip" },
    });
    expect(flowKeys(flowSpecOf(workflow)!, { user: "u1" })).toEqual({ concurrency: "u1", singleton: "" });
    const throwing = defineWorkflow({
      slug: "throwing-flow",
      ...base,
      concurrency: {
        limit: 1,
        key: () => {
          throw new Error("boom");
        },
      },
    });
    expect(() => flowKeys(flowSpecOf(throwing)!, { user: "u" })).toThrow(FlowKeyError);
    expect(() => flowKeys(flowSpecOf(throwing)!, { user: "u" })).toThrow("the concurrency key function threw: boom");
  });

  it("ranks by priority with one minute of waiting worth one point (aging)", () => {
    expect(queueRank(1_000_000, 1)).toBeLessThan(queueRank(1_000_000, 0));
    // A run that has waited two minutes ranks with a newcomer two points higher.
    expect(queueRank(1_000_000, 0)).toBe(queueRank(1_120_000, 2));
    expect(queueRank(0, Number.NaN)).toBe(0);
  });
});
