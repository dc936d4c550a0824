import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { decodeEvent, encodeEvent } from "../../src/log/event-codec.ts";
import { retrySeed } from "../../src/run/retry-plan.ts";

const error = { name: "Error", message: "boom" };
const started = (seq: number, stepId: string, attempt = 1, kind: "action" | "workflow" = "action"): RunEvent => ({
  seq,
  at: seq,
  type: "step_started",
  stepId,
  kind,
  name: stepId.split("#")[0]!,
  attempt,
  inputHash: "h",
});
const completed = (seq: number, stepId: string, output: unknown): RunEvent => ({
  seq,
  at: seq,
  type: "step_completed",
  stepId,
  output,
});

/** a completes after one retry, a sleep completes, a hook is resumed, b fails for good. */
const failedRun: RunEvent[] = [
  { seq: 1, at: 1, type: "run_started", workflow: "w", input: {}, trigger: { type: "api" }, triggeredAt: 1 },
  started(2, "a#0"),
  { seq: 3, at: 3, type: "step_retrying", stepId: "a#0", attempt: 1, error, retryAt: 4 },
  started(4, "a#0", 2),
  completed(5, "a#0", { n: 1 }),
  { seq: 6, at: 6, type: "sleep_started", stepId: "sleep#1", wakeAt: 7 },
  { seq: 7, at: 7, type: "sleep_completed", stepId: "sleep#1" },
  { seq: 8, at: 8, type: "hook_created", stepId: "hook#2", token: "t" },
  { seq: 9, at: 9, type: "hook_resumed", stepId: "hook#2", payload: { ok: true } },
  started(10, "b#3"),
  { seq: 11, at: 11, type: "step_retrying", stepId: "b#3", attempt: 1, error, retryAt: 12 },
  started(12, "b#3", 2),
  { seq: 13, at: 13, type: "step_failed", stepId: "b#3", attempt: 2, error },
  { seq: 14, at: 14, type: "run_failed", error },
  { seq: 15, at: 15, type: "run_retried", by: "run_x" },
];

const seedOf = (events: RunEvent[], fromStep?: string) => {
  const seed = retrySeed(events, fromStep);
  if (!seed.ok) throw new Error(seed.error.message);
  return seed.value;
};

describe("retrySeed", () => {
  it("copies every event of the steps that succeeded, without seq or at, and nothing of the failed step", () => {
    const seed = seedOf(failedRun);
    expect(seed.map((e) => [e.type, "stepId" in e ? e.stepId : undefined])).toEqual([
      ["step_started", "a#0"],
      ["step_retrying", "a#0"],
      ["step_started", "a#0"],
      ["step_completed", "a#0"],
      ["sleep_started", "sleep#1"],
      ["sleep_completed", "sleep#1"],
      ["hook_created", "hook#2"],
      ["hook_resumed", "hook#2"],
    ]);
    expect(seed.some((e) => "seq" in e || "at" in e)).toBe(false);
    expect(seed[3]).toEqual({ type: "step_completed", stepId: "a#0", output: { n: 1 } });
  });

  it("from a step drops that step and everything recorded after its first event", () => {
    const seed = seedOf(failedRun, "sleep#1");
    expect(new Set(seed.map((e) => ("stepId" in e ? e.stepId : "")))).toEqual(new Set(["a#0"]));
  });

  it("drops a step that started before the cut but completed after it", () => {
    const parallel: RunEvent[] = [started(1, "a#0"), started(2, "b#1"), completed(3, "b#1", 2), completed(4, "a#0", 1)];
    expect(seedOf(parallel, "b#1")).toEqual([]);
  });

  it("drops steps left sleeping, waiting on a hook or timed out, so they run again", () => {
    const canceled: RunEvent[] = [
      { seq: 1, at: 1, type: "sleep_started", stepId: "sleep#0", wakeAt: 9 },
      { seq: 2, at: 2, type: "hook_created", stepId: "hook#1", token: "t" },
      { seq: 3, at: 3, type: "hook_timed_out", stepId: "hook#1" },
      { seq: 4, at: 4, type: "run_canceled", reason: "stuck" },
    ];
    expect(seedOf(canceled)).toEqual([]);
  });

  it("keeps the completed child steps of a sub-workflow whose own step failed", () => {
    const events: RunEvent[] = [
      started(1, "child#0", 1, "workflow"),
      started(2, "child#0/x#0"),
      completed(3, "child#0/x#0", 1),
      { seq: 4, at: 4, type: "step_failed", stepId: "child#0", attempt: 1, error },
    ];
    expect(seedOf(events).map((e) => ("stepId" in e ? e.stepId : ""))).toEqual(["child#0/x#0", "child#0/x#0"]);
  });

  it("answers step_not_found for a step the run does not have", () => {
    const seed = retrySeed(failedRun, "missing#7");
    expect(seed.ok).toBe(false);
    if (!seed.ok) expect(seed.error.code).toBe("step_not_found");
  });
});

describe("run_retried in the event codec", () => {
  it("round-trips through its row", () => {
    const event: RunEvent = { seq: 15, at: 15, type: "run_retried", by: "run_x", reason: "flaky API" };
    expect(decodeEvent({ ...encodeEvent(event), seq: 15, at: 15 })).toEqual(event);
  });
});
