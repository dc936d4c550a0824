// The readable part of a blocked run's reason (decision 0018): which input fields changed, and
// what the log can show when it kept only an input's hash.
import { describe, expect, it } from "vitest";
import {
  diffLines,
  divergenceOf,
  MAX_DIFF_LINES,
  openBlock,
  recordableInput,
  sameDivergence,
} from "../../sdk/engine/divergence.ts";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { inputHash } from "../../sdk/engine/input-hash.ts";
import { STEP_INPUT_RECORD_BYTES } from "../../sdk/engine/limits.ts";

const call = (input: unknown, name = "charge", kind = "action") => ({
  kind,
  name,
  input: recordableInput(input),
  inputHash: inputHash(input),
});

describe("diff lines", () => {
  it("names each changed, added and removed field by its path", () => {
    const before = { amount: 10, customer: { id: "c1", tags: ["a", "b"] }, note: "x" };
    const after = { amount: 12, customer: { id: "c1", tags: ["a", "c"] }, "tax rate": 0.2 };
    expect(diffLines(call(before), call(after))).toEqual([
      "input.amount: 10 → 12",
      'input.customer.tags[1]: "b" → "c"',
      'input.note: "x" → (absent)',
      'input["tax rate"]: (absent) → 0.2',
    ]);
  });

  it("says a name or kind changed", () => {
    expect(diffLines(call({}), call({}, "refund"))).toEqual(["name: charge → refund"]);
    expect(diffLines(call({}), call({}, "charge", "workflow"))).toEqual(["kind: action → workflow"]);
  });

  it("falls back to the hashes when the log kept only the input's hash", () => {
    const big = { blob: "x".repeat(STEP_INPUT_RECORD_BYTES) };
    expect(recordableInput(big)).toBeUndefined();
    const lines = diffLines(call(big), call({ blob: "y" }));
    expect(lines).toEqual([
      `input: hash ${inputHash(big)} → ${inputHash({ blob: "y" })} (the log keeps only the hash of this input)`,
    ]);
  });

  it("shortens long values and caps the number of lines", () => {
    const [line] = diffLines(call({ text: "a".repeat(500) }), call({ text: "b" }));
    expect(line!.length).toBeLessThan(120);
    const many = (v: number) => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, v]));
    const lines = diffLines(call(many(1)), call(many(2)));
    expect(lines).toHaveLength(MAX_DIFF_LINES + 1);
    expect(lines.at(-1)).toBe("… 10 more differences");
  });
});

describe("blocked reasons", () => {
  it("builds a reason naming the step and site, and tells one reason from another", () => {
    const reason = divergenceOf("charge#0", "k3f9a2cd#0", call({ amount: 10 }), call({ amount: 12 }));
    expect(reason).toMatchObject({
      code: "non_determinism",
      stepId: "charge#0",
      site: "k3f9a2cd#0",
      recorded: { input: { amount: 10 } },
      current: { input: { amount: 12 } },
      diff: ["input.amount: 10 → 12"],
    });
    expect(reason.message).toContain("charge#0 (call site k3f9a2cd#0)");
    expect(
      sameDivergence(reason, divergenceOf("charge#0", undefined, call({ amount: 10 }), call({ amount: 12 }))),
    ).toBe(true);
    expect(
      sameDivergence(reason, divergenceOf("charge#0", undefined, call({ amount: 10 }), call({ amount: 13 }))),
    ).toBe(false);
    expect(sameDivergence(undefined, reason)).toBe(false);
  });

  it("finds the open block of a log: the last run_blocked with no run_unblocked after it", () => {
    const reason = divergenceOf("charge#0", undefined, call(1), call(2));
    const at = (seq: number, event: object) => ({ seq, at: seq, ...event }) as RunEvent;
    const blocked = at(2, { type: "run_blocked", reason });
    expect(openBlock([blocked])).toEqual(reason);
    expect(openBlock([blocked, at(3, { type: "run_unblocked" })])).toBeUndefined();
    expect(openBlock([])).toBeUndefined();
  });
});
