import { describe, expect, it } from "vitest";
import { planSuspension } from "../../src/run/suspension.ts";

describe("planSuspension", () => {
  it("shows waiting_on_hook over sleeping, and arms a timer for the hook's timeout but not as wakeAt", () => {
    const plan = planSuspension([
      { kind: "sleep", stepId: "sleep#0", wakeAt: 2_000 },
      { kind: "hook", stepId: "hook#0", token: "t", timeoutAt: 1_000 },
    ]);
    expect(plan.status).toBe("waiting_on_hook");
    expect(plan.wakeAt).toBe(2_000);
    expect(plan.timers).toEqual([
      { key: "sleep:sleep#0", kind: "sleep", dueAt: 2_000 },
      { key: "hook:hook#0", kind: "hook_timeout", dueAt: 1_000 },
    ]);
  });

  it("keeps running during a retry backoff and wakes at the earliest time", () => {
    const plan = planSuspension([
      { kind: "retry", stepId: "a#0", wakeAt: 5_000 },
      { kind: "retry", stepId: "b#0", wakeAt: 3_000 },
    ]);
    expect(plan).toMatchObject({ status: "running", wakeAt: 3_000 });
  });

  it("arms one yield timer for a pass that ran out of budget", () => {
    expect(planSuspension([{ kind: "yield", wakeAt: 10 }]).timers).toEqual([
      { key: "yield", kind: "yield", dueAt: 10 },
    ]);
  });
});
