import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { buildStepRecords, stepStatus } from "../../sdk/engine/step-records.ts";
import { buildTrace } from "../../src/run/trace.ts";

const started: RunEvent = {
  seq: 1,
  at: 0,
  type: "run_started",
  workflow: "w",
  input: {},
  trigger: { type: "api" },
  triggeredAt: 0,
};

// A run that returned while its hook and its sleep were still open (Promise.race).
const completedWithOpenWaits: RunEvent[] = [
  started,
  { seq: 2, at: 1, type: "hook_created", stepId: "hook#0", token: "t" },
  { seq: 3, at: 2, type: "sleep_started", stepId: "sleep#0", wakeAt: 100 },
  { seq: 4, at: 3, type: "step_started", stepId: "a#0", kind: "action", name: "a", attempt: 1, inputHash: "x" },
  { seq: 5, at: 4, type: "step_completed", stepId: "a#0", output: 1 },
  { seq: 6, at: 50, type: "run_completed", output: 1 },
];

describe("a finished run's steps and spans", () => {
  it("ends every span still open when the run finished at the run's end, as canceled", () => {
    const spans = buildTrace(completedWithOpenWaits);
    expect(spans.map((s) => [s.stepId, s.status, s.end])).toEqual([
      ["hook#0", "canceled", 50],
      ["sleep#0", "canceled", 50],
      ["a#0", "completed", 4],
    ]);
  });

  it("shows a step still live as canceled only once its run has finished", () => {
    const records = buildStepRecords(completedWithOpenWaits);
    const status = (stepId: string, runFinished: boolean) => stepStatus(records.get(stepId)!, runFinished);
    expect([status("hook#0", false), status("sleep#0", false), status("a#0", false)]).toEqual([
      "waiting",
      "sleeping",
      "completed",
    ]);
    expect([status("hook#0", true), status("sleep#0", true), status("a#0", true)]).toEqual([
      "canceled",
      "canceled",
      "completed",
    ]);
  });
});
