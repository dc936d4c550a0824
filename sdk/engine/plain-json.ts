// How a stored output is shown over HTTP: the JSON a client expects, as `JSON.stringify` would
// write the live value (Date → ISO string, undefined fields left out), with the types JSON has no
// word for spelled out (Map → object, Set → array, BigInt → decimal string, typed array → array).
// The log keeps the exact value (value-codec.ts); this is only its public face.
import { decodeValue } from "./value-codec.ts";

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Map) {
    const entries = [...value.entries()];
    return entries.every(([k]) => typeof k === "string") ? Object.fromEntries(entries) : entries;
  }
  if (value instanceof Set) return [...value];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  if (value instanceof ArrayBuffer) return Array.from(new Uint8Array(value));
  return value;
}

/**
 * The plain JSON of a stored output: itself when it holds no tags (`encoded` false), else its
 * decoded value as JSON writes it.
 * @example plainJson({ at: { $cairn: "Date", v: "2026-01-01T00:00:00.000Z" } }, true) // { at: "2026-01-01T00:00:00.000Z" }
 */
export function plainJson(stored: unknown, encoded: boolean | undefined): unknown {
  if (!encoded || stored === undefined) return stored;
  const text = JSON.stringify(decodeValue(stored), replacer);
  return text === undefined ? undefined : JSON.parse(text);
}
