// durationSchema: a workflow input field that holds a duration the engine can parse.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { durationSchema } from "cairn-workflows/workflow";

describe("durationSchema", () => {
  it("accepts a number and a unit, with or without a space", () => {
    for (const value of ["30s", "2 days", "1.5h", "15 minutes", "250ms"])
      expect(durationSchema.safeParse(value)).toEqual({ success: true, data: value });
  });

  it("refuses what the duration parser would refuse when the run reached the sleep", () => {
    for (const value of ["soon-ish", "2 fortnights", "-1s", "2  days", "", 1500])
      expect(durationSchema.safeParse(value).success).toBe(false);
  });

  it("describes itself as one patterned string, so the dashboard's start form keeps a text field", () => {
    const schema = z.toJSONSchema(durationSchema.default("2 days"), { io: "input" }) as Record<string, unknown>;
    expect(schema).toMatchObject({ type: "string", default: "2 days" });
    expect(new RegExp(schema.pattern as string).test("2 days")).toBe(true);
  });
});
