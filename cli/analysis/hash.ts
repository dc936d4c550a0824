// Short stable hashes for call-site ids and graph versions: FNV-1a (64-bit) in base 36.
// Not cryptographic on purpose: the ids name code locations, nobody forges them.

const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = (1n << 64n) - 1n;
/** 36^8: ids are exactly 8 base-36 characters (about 41 bits). */
const SPACE = 36n ** 8n;

/**
 * An 8-character base-36 hash of `parts`, joined with NUL so that `["ab", "c"]` and `["a", "bc"]`
 * differ.
 * @example shortHash(["greeting", "action", "formatGreeting.run", "(input)", "0"]) // "k3f9a2cd"
 */
export function shortHash(parts: readonly string[]): string {
  let hash = OFFSET;
  for (const byte of new TextEncoder().encode(parts.join("\0"))) {
    hash ^= BigInt(byte);
    hash = (hash * PRIME) & MASK;
  }
  return (hash % SPACE).toString(36).padStart(8, "0");
}
