import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { CorruptEventError, decodeEvent, encodeEvent } from "../../src/log/event-codec.ts";

const samples: RunEvent[] = [
  { seq: 1, at: 10, type: "run_started", workflow: "w", input: { a: 1 }, trigger: { type: "api" }, triggeredAt: 10 },
  {
    seq: 2,
    at: 11,
    type: "step_started",
    stepId: "parent#0/send-email#2",
    kind: "action",
    name: "send-email",
    attempt: 1,
    inputHash: "0badf00d",
    policy: { maxAttempts: 3, initialDelayMs: 1000, backoffFactor: 2, maxDelayMs: 300000 },
  },
  { seq: 3, at: 12, type: "step_started", stepId: "llm#0", kind: "llm", name: "other", attempt: 2, inputHash: "1" },
  {
    seq: 4,
    at: 13,
    type: "step_completed",
    stepId: "llm#0",
    output: { text: "hi" },
    usage: { inputTokens: 1, outputTokens: 2 },
  },
  {
    seq: 5,
    at: 14,
    type: "step_retrying",
    stepId: "a#0",
    attempt: 1,
    error: { name: "Error", message: "x" },
    retryAt: 99,
  },
  { seq: 6, at: 15, type: "hook_created", stepId: "hook#0", token: "t", timeoutAt: 5 },
  { seq: 7, at: 16, type: "run_completed", output: null },
];

describe("event codec", () => {
  for (const event of samples) {
    it(`round-trips ${event.type} (seq ${event.seq}) through its row`, () => {
      const { seq, at, ...rest } = event;
      const columns = encodeEvent(rest as never);
      expect(decodeEvent({ ...columns, seq, at })).toEqual(event);
    });
  }

  it("keeps a step_started row well under half the size of the plain JSON", () => {
    const { seq, at, ...rest } = samples[1]!;
    const columns = encodeEvent(rest as never);
    expect(columns.data.length).toBeLessThan(JSON.stringify(rest).length / 2);
  });

  it("reads rows written in the earlier whole-event format", () => {
    const old = { type: "step_completed", stepId: "a#0", output: 1 };
    expect(
      decodeEvent({ type: "step_completed", step_id: "a#0", attempt: null, data: JSON.stringify(old), seq: 3, at: 4 }),
    ).toEqual({ ...old, seq: 3, at: 4 });
  });

  it("refuses a row the event schema does not describe, naming its seq and the field", () => {
    const row = {
      type: "step_retrying",
      step_id: "a#0",
      attempt: 1,
      data: JSON.stringify({ error: {} }),
      seq: 7,
      at: 1,
    };
    expect(() => decodeEvent(row)).toThrow(CorruptEventError);
    expect(() => decodeEvent(row)).toThrow(/event 7 \(step_retrying\) does not match the event schema at error\.name/);
  });

  it("drops fields the schema does not know instead of passing them to replay", () => {
    const data = JSON.stringify({ output: 2, injected: true });
    const event = decodeEvent({ type: "step_completed", step_id: "a#0", attempt: null, data, seq: 1, at: 1 });
    expect(event).toEqual({ type: "step_completed", stepId: "a#0", output: 2, seq: 1, at: 1 });
  });
});
