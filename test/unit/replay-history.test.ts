// replayHistory and the export parser: the replay gate as a library call in a plain vitest suite.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRunExports, replayHistory } from "cairn-workflows/testing";
import { executions } from "../fixtures/replay-gate/src/actions/shipping.ts";
import shipOrder from "../fixtures/replay-gate/src/workflows/ship-order.ts";

const text = (name: string) => readFileSync(`test/fixtures/replay-gate/histories/${name}`, "utf8");
const history = (name: string) =>
  JSON.parse(text(name)) as { run: { runId: string; workflow: string }; events: unknown[] };

describe("replayHistory", () => {
  it("answers ok for a history the code replays, without executing a step", async () => {
    expect(await replayHistory(shipOrder, history("sleeping-order.json"))).toEqual({ ok: true });
    // Recorded before its first step: the code's first call is new work, which a check never runs.
    const queued = history("sleeping-order.json");
    queued.events = queued.events.slice(0, 1);
    expect(await replayHistory(shipOrder, queued)).toEqual({ ok: true });
    expect(executions).toEqual([]);
  });

  it("names the step, the recorded and current call, and the diff when the code changed the call", async () => {
    const verdict = await replayHistory(shipOrder, history("changed-quantity.json"));
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toMatchObject({
      code: "non_determinism",
      stepId: "reserve-stock#0",
      recorded: { name: "reserve-stock", input: { orderId: "o-2", quantity: 1 } },
      current: { name: "reserve-stock", input: { orderId: "o-2", quantity: 2 } },
    });
    expect(verdict.reason.diff).toContain("input.quantity: 1 → 2");
  });

  it("refuses a history of another workflow, or one that is not an export", async () => {
    const other = { ...history("sleeping-order.json"), run: { ...history("sleeping-order.json").run, workflow: "x" } };
    await expect(replayHistory(shipOrder, other)).rejects.toThrow('a run of "x", not of "ship-order"');
    await expect(replayHistory(shipOrder, { run: {}, events: [] })).rejects.toMatchObject({
      code: "invalid_run_export",
    });
  });
});

describe("parseRunExports", () => {
  it("reads one export, an array, a page and NDJSON alike", () => {
    const a = text("sleeping-order.json");
    const b = text("changed-quantity.json");
    const ids = (source: string) => parseRunExports(source).map((e) => e.run.runId);
    const both = ["run_0000000000000000000000000000aa01", "run_0000000000000000000000000000bb02"];
    expect(ids(a)).toEqual([both[0]]);
    expect(ids(`[${a},${b}]`)).toEqual(both);
    expect(ids(`{"runs":[${a},${b}],"next":"x"}`)).toEqual(both);
    const ndjson = [a, b].map((t) => JSON.stringify(JSON.parse(t))).join("\n");
    expect(ids(`${ndjson}\n`)).toEqual(both);
  });

  it("says which line or export is wrong", () => {
    expect(() => parseRunExports("")).toThrow("the history is empty");
    expect(() => parseRunExports('{"run":1}\n{')).toThrow("line 1 is not a run export");
    const a = JSON.stringify(JSON.parse(text("sleeping-order.json")));
    expect(() => parseRunExports(`${a}\nnot json`)).toThrow("line 2 is not JSON");
    expect(() => parseRunExports(`[${a}, {"run": {}}]`)).toThrow("export #2 is not a run export");
  });
});
