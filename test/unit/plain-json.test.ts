import { describe, expect, it } from "vitest";
import { plainJson } from "../../sdk/engine/plain-json.ts";
import { encodeValue } from "../../sdk/engine/value-codec.ts";

describe("plain JSON of a stored output", () => {
  it("returns an untagged output as it is", () => {
    const stored = { a: 1, b: ["x"] };
    expect(plainJson(stored, false)).toBe(stored);
  });

  it("shows a tagged output as JSON.stringify writes the live value, spelling out what JSON lacks", () => {
    const live = {
      decision: "approved",
      note: undefined,
      at: new Date("2026-01-02T03:04:05.000Z"),
      tags: new Set(["a", "b"]),
      totals: new Map([["eur", 3n]]),
      bytes: new Uint8Array([1, 2]),
    };
    const { value, tagged } = encodeValue(live);
    expect(tagged).toBe(true);
    expect(plainJson(value, tagged)).toEqual({
      decision: "approved",
      at: "2026-01-02T03:04:05.000Z",
      tags: ["a", "b"],
      totals: { eur: "3" },
      bytes: [1, 2],
    });
  });
});
