import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { buildTrace } from "../../src/run/trace.ts";

const error = { name: "Error", message: "boom" };

describe("buildTrace", () => {
  it("makes one span per attempt, with retries carrying their errors", () => {
    const events: RunEvent[] = [
      { seq: 1, at: 0, type: "run_started", workflow: "w", input: {}, trigger: { type: "api" }, triggeredAt: 0 },
      { seq: 2, at: 10, type: "step_started", stepId: "a#0", kind: "action", name: "a", attempt: 1, inputHash: "x" },
      { seq: 3, at: 20, type: "step_retrying", stepId: "a#0", attempt: 1, error, retryAt: 1000 },
      { seq: 4, at: 1000, type: "step_started", stepId: "a#0", kind: "action", name: "a", attempt: 2, inputHash: "x" },
      { seq: 5, at: 1005, type: "step_completed", stepId: "a#0", output: 1 },
    ];
    const spans = buildTrace(events);
    expect(spans.map((s) => [s.id, s.status, s.start, s.end])).toEqual([
      ["a#0@1", "retrying", 10, 20],
      ["a#0@2", "completed", 1000, 1005],
    ]);
    expect(spans[0]!.error).toEqual(error);
  });

  it("nests sub-workflow steps under their parent and shows sleeps and open hooks", () => {
    const events: RunEvent[] = [
      {
        seq: 1,
        at: 0,
        type: "step_started",
        stepId: "child#0",
        kind: "workflow",
        name: "child",
        attempt: 1,
        inputHash: "x",
      },
      {
        seq: 2,
        at: 1,
        type: "step_started",
        stepId: "child#0/a#0",
        kind: "action",
        name: "a",
        attempt: 1,
        inputHash: "y",
      },
      {
        seq: 3,
        at: 2,
        type: "step_completed",
        stepId: "child#0/a#0",
        output: 1,
        usage: { inputTokens: 3, outputTokens: 4 },
      },
      { seq: 4, at: 3, type: "step_completed", stepId: "child#0", output: 1 },
      { seq: 5, at: 4, type: "sleep_started", stepId: "sleep#0", wakeAt: 100 },
      { seq: 6, at: 100, type: "sleep_completed", stepId: "sleep#0" },
      { seq: 7, at: 101, type: "hook_created", stepId: "hook#0", token: "t" },
    ];
    const spans = buildTrace(events);
    expect(spans.find((s) => s.stepId === "child#0/a#0")).toMatchObject({
      parent: "child#0",
      usage: { inputTokens: 3, outputTokens: 4 },
    });
    expect(spans.find((s) => s.stepId === "sleep#0")).toMatchObject({
      kind: "sleep",
      start: 4,
      end: 100,
      status: "completed",
    });
    const hook = spans.find((s) => s.stepId === "hook#0");
    expect(hook).toMatchObject({ kind: "hook", status: "waiting" });
    expect(hook?.end).toBeUndefined();
  });
});
