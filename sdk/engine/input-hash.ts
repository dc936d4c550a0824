// A cheap fingerprint of a step's input, recorded so replay can spot code that changed.

/** FNV-1a over the JSON form; not cryptographic, only a change detector. */
export function inputHash(input: unknown): string {
  const text = input === undefined ? "" : jsonOf(input);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * JSON of an input. Plain JSON (every recorded hash so far) takes the fast path unchanged; what
 * JSON.stringify throws on (a BigInt, a cycle) is spelt out instead, so hashing never crashes a step.
 */
function jsonOf(input: unknown): string {
  try {
    return JSON.stringify(input);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(input, (_key, value: unknown) => {
      if (typeof value === "bigint") return `${value}n`;
      if (value instanceof Map) return { $map: [...value] };
      if (value instanceof Set) return { $set: [...value] };
      if (typeof value === "object" && value !== null) {
        if (seen.has(value)) return "$cycle";
        seen.add(value);
      }
      return value;
    });
  }
}
