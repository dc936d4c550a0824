import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inputHash } from "../../sdk/engine/input-hash.ts";
import { decodeValue, encodeValue } from "../../sdk/engine/value-codec.ts";
import { ValidationError } from "../../sdk/errors.ts";

/** What the log keeps: the encoded value as JSON text. */
function throughJson(value: unknown): unknown {
  const json = JSON.stringify(encodeValue(value).value);
  // A missing output is no JSON at all: the event simply has no `output`.
  return decodeValue(json === undefined ? undefined : JSON.parse(json));
}

describe("value codec", () => {
  it("leaves plain JSON as the very same value, untagged", () => {
    const plain = { a: [1, "two", null, true, { b: 2.5 }], c: "" };
    const encoded = encodeValue(plain);
    expect(encoded.tagged).toBe(false);
    expect(encoded.value).toBe(plain);
  });

  it("keeps Date, Map, Set, BigInt, undefined fields, holes, typed arrays and odd numbers", () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    // biome-ignore lint/suspicious/noSparseArray: a hole is one of the cases.
    const sparse = [1, , 3];
    const value = {
      at: new Date("2024-01-02T03:04:05.678Z"),
      invalid: new Date(Number.NaN),
      byKey: new Map<unknown, unknown>([[{ k: 1 }, new Set([1n])]]),
      big: -(2n ** 70n),
      missing: undefined,
      list: [undefined, Number.NaN, -0, Number.POSITIVE_INFINITY],
      sparse,
      view: bytes.subarray(1, 4),
      floats: new Float64Array([0.5, Number.NaN]),
      buffer: bytes.buffer.slice(0, 2),
      data: new DataView(bytes.buffer, 2, 2),
      bare: Object.assign(Object.create(null) as object, { x: 1 }),
    };
    expect(encodeValue(value).tagged).toBe(true);
    expect(throughJson(value)).toStrictEqual(value);
  });

  it("escapes a user object that looks like a tag", () => {
    const value = { $cairn: "Date", v: "2024-01-01T00:00:00.000Z" };
    expect(throughJson(value)).toStrictEqual(value);
    expect(throughJson([value, { $cairn: 1 }])).toStrictEqual([value, { $cairn: 1 }]);
  });

  it("refuses what cannot be stored with a coded error naming the path", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const cases: [unknown, string][] = [
      [{ items: [1, 2, { fn: () => 3 }] }, "output.items[2].fn"],
      [{ "odd key": Symbol("s") }, 'output["odd key"]'],
      [{ nested: { when: new URL("https://example.com") } }, "output.nested.when"],
      [circular, "output.self"],
      [new Map([["k", () => 1]]), "output<Map entry 0>"],
    ];
    for (const [value, path] of cases) {
      let thrown: unknown;
      try {
        encodeValue(value, "charge#0");
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).code).toBe("unstorable_output");
      expect((thrown as Error).message).toContain(`charge#0 returned`);
      expect((thrown as Error).message).toContain(` at ${path}`);
    }
  });

  it("stores the same object twice in one value (not a cycle) as two equal copies", () => {
    const shared = { n: new Date(5) };
    expect(throughJson({ a: shared, b: shared })).toStrictEqual({ a: { n: new Date(5) }, b: { n: new Date(5) } });
  });

  it("decodes every random value to one strictly equal to it", () => {
    fc.assert(
      fc.property(
        fc.anything({
          key: fc.oneof(fc.string(), fc.constantFrom("$cairn", "v", "__proto__")),
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
        }),
        (value) => {
          expect(throughJson(value)).toStrictEqual(value);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("hashes step inputs holding a BigInt or a cycle without crashing, and plain inputs as before", () => {
    // The hash recorded for this input before BigInt support: old logs must keep replaying.
    expect(inputHash({ email: "a@b.c", n: [1, 2] })).toBe("24b43e9e");
    expect(inputHash({ n: 1n })).not.toBe(inputHash({ n: 2n }));
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(inputHash(cycle)).toMatch(/^[0-9a-f]{8}$/);
  });
});
