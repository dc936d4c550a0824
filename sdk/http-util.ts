// Small HTTP helpers shared by the integrations (sdk/integrations) and the Worker runtime (src/):
// Retry-After parsing and reading a body with a size limit. Internal: not a package subpath.

/**
 * Parses Retry-After, as seconds or an HTTP date, into milliseconds.
 * @example parseRetryAfter("30") // 30000
 */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Reads a body stream to its end, or throws what `tooLarge(bytesSoFar)` returns as soon as it
 * passes `maxBytes` (the rest is never read): a hostile body cannot fill the isolate's memory.
 */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: (bytes: number) => Error,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(size);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
