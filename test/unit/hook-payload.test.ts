import { z } from "zod";
import { describe, expect, it } from "vitest";
import { parseHookPayload, scalarOf } from "../../src/run/hook-payload.ts";

describe("scalarOf", () => {
  it("types canonical JSON scalars", () => {
    expect(["true", "false", "null", "3", "-1.5", "0"].map(scalarOf)).toEqual([true, false, null, 3, -1.5, 0]);
  });

  it("keeps every other value as its string", () => {
    for (const value of ["007", "1e3", " 12", "1.0", "-0", "", "yes", '"quoted"', "[1]", "{}", "NaN", "True"])
      expect(scalarOf(value)).toBe(value);
  });
});

describe("parseHookPayload", () => {
  it("types the query values of a schema-less hook", () => {
    expect(parseHookPayload(undefined, { approved: "true", count: "3", note: "007" }, "query")).toEqual({
      ok: true,
      value: { approved: true, count: 3, note: "007" },
    });
  });

  it("passes a schema-less JSON body through untouched", () => {
    expect(parseHookPayload(undefined, { approved: "true" }, "body")).toEqual({
      ok: true,
      value: { approved: "true" },
    });
  });

  it("lets a schema read query values as strings first, then coerced", () => {
    const text = z.object({ note: z.string() });
    expect(parseHookPayload(text, { note: "007" }, "query")).toEqual({ ok: true, value: { note: "007" } });
    const typed = z.object({ approved: z.boolean(), count: z.number() });
    expect(parseHookPayload(typed, { approved: "false", count: " 12" }, "query")).toEqual({
      ok: true,
      value: { approved: false, count: 12 },
    });
  });

  it("refuses a payload that fails the schema with invalid_hook_payload", () => {
    const result = parseHookPayload(z.object({ approved: z.boolean() }), { approved: "maybe" }, "query");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("invalid_hook_payload");
  });
});
