// The id a webhook delivery is known by, which names the runs it starts (decision 0007): what
// the signature covers when there is one, else the provider's id header, else a fresh id.
import type { AuthResult } from "./signature.ts";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A delivery's id. A signed delivery is named by a SHA-256 of exactly what its HMAC covered
 * (`<timestamp>.<body>`, or the body), never by an id header: no supported scheme signs that
 * header, so a replay could change it freely and start a new run each time, while the signed
 * content cannot change without breaking the signature. An unsigned delivery (token or public
 * source) takes the `deliveryIdHeader` value its authenticated sender chose, or a fresh id.
 * @example await deliveryIdOf({ ok: true, signed: "1700000000.{}" }, "gh-123") // "sha256-5f1c…" (the header is ignored)
 * @example await deliveryIdOf({ ok: true }, "gh-123") // "gh-123"
 */
export async function deliveryIdOf(auth: AuthResult, idHeader: string | undefined): Promise<string> {
  if (auth.ok && auth.signed !== undefined) return `sha256-${await sha256Hex(auth.signed)}`;
  return idHeader || crypto.randomUUID();
}
