// `cairn runs events` lines: a short detail per event type, and the fields of types it does not know.
import { describe, expect, it } from "vitest";
import { eventDetail, eventTable } from "../../cli/event-history.ts";
import type { RunEvent } from "../../sdk/engine/events.ts";

const t0 = Date.parse("2026-12-02T07:00:00Z");
const events = [
  {
    seq: 1,
    at: t0,
    type: "run_started",
    workflow: "place-order",
    input: { sku: "a" },
    trigger: { type: "api" },
    triggeredAt: t0,
  },
  {
    seq: 2,
    at: t0 + 5,
    type: "step_started",
    stepId: "charge#0",
    kind: "action",
    name: "charge",
    attempt: 1,
    inputHash: "h",
  },
  {
    seq: 3,
    at: t0 + 20,
    type: "step_retrying",
    stepId: "charge#0",
    attempt: 1,
    error: { name: "Error", message: "declined" },
    retryAt: t0 + 1020,
    logs: [{ level: "info", at: t0 + 10, message: "charging" }],
  },
  { seq: 4, at: t0 + 2500, type: "run_canceled", reason: "duplicate", by: "cli" },
] as RunEvent[];

describe("the event history", () => {
  it("says what each event means in a few words", () => {
    expect(events.map(eventDetail)).toEqual([
      'place-order by api, input {"sku":"a"}',
      "action charge, attempt 1",
      "attempt 1 failed: Error: declined; next attempt at 2026-12-02T07:00:01.020Z · 1 log line",
      '{"reason":"duplicate","by":"cli"}',
    ]);
  });

  it("prints one aligned line per event with its time since the start", () => {
    const lines = eventTable(events).split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^1\s+2026-12-02T07:00:00\.000Z\s+\+0 ms\s+run_started\s+place-order/);
    expect(lines[4]).toMatch(/^4\s+2026-12-02T07:00:02\.500Z\s+\+2\.5 s\s+run_canceled\s+\{"reason"/);
  });
});
