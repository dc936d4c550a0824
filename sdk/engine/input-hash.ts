// A cheap fingerprint of a step's input, recorded so replay can spot code that changed.

/** FNV-1a over the JSON form; not cryptographic, only a change detector. */
export function inputHash(input: unknown): string {
  const text = input === undefined ? "" : JSON.stringify(input);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
