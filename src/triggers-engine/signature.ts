// Webhook credentials: a shared token, or an HMAC of the raw body (optionally with a signed
// timestamp, so a captured delivery cannot be replayed later). Plain WebCrypto, so it runs the
// same in the Worker and in Node unit tests; comparisons take constant time.
import type { WebhookAuth } from "../../sdk/trigger.ts";

/**
 * `signed`: the exact text the HMAC covered (`<timestamp>.<body>` or the body), so a delivery
 * without a signed id can be named by it (see delivery-id.ts). `authRequired`: refused because
 * the source asks no credentials at all on a public host (see webhook-guard.ts).
 */
export type AuthResult = { ok: true; signed?: string } | { ok: false; reason: string; authRequired?: true };

const encoder = new TextEncoder();
const hashName = (algorithm: "sha256" | "sha1") => (algorithm === "sha1" ? "SHA-1" : "SHA-256");

function hmacKey(secret: string, algorithm: "sha256" | "sha1", usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: hashName(algorithm) }, false, [
    usage,
  ]);
}

function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  return Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}

/**
 * The hex HMAC of `message` under `secret`, as a provider would compute it.
 * @example await hmacHex("whsec", `${timestamp}.${body}`) // "5d41402a..."
 */
export async function hmacHex(
  secret: string,
  message: string,
  algorithm: "sha256" | "sha1" = "sha256",
): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret, algorithm, "sign"), encoder.encode(message));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two strings without leaking where they differ: equal-length digests, XOR-folded. */
async function tokensEqual(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all(
    [presented, expected].map(async (t) => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(t)))),
  );
  let difference = 0;
  for (let i = 0; i < 32; i++) difference |= (a?.[i] ?? 0) ^ (b?.[i] ?? 0);
  return difference === 0;
}

/**
 * Checks a webhook delivery against its source's `auth`: the token (query `token` or header
 * `x-cairn-token`), then the HMAC. `secrets` is the Worker's env, where secret names are looked up.
 * @example await authenticate(source.auth, { body, headers, query }, env) // { ok: false, reason: "bad signature" }
 */
export async function authenticate(
  auth: WebhookAuth | undefined,
  request: { body: string; headers: Headers; query: URLSearchParams },
  secrets: Record<string, unknown>,
  nowMs = Date.now(),
): Promise<AuthResult> {
  if (!auth) return { ok: true };
  if (auth.token !== undefined) {
    const expected = typeof auth.token === "string" ? auth.token : secrets[auth.token.secret];
    // An unset secret refuses every delivery; it never means "accept an empty token".
    if (typeof expected !== "string" || !expected)
      return {
        ok: false,
        reason: `the ${typeof auth.token === "string" ? "token" : auth.token.secret} secret is not set`,
      };
    const presented = request.query.get("token") ?? request.headers.get("x-cairn-token") ?? "";
    if (!(await tokensEqual(presented, expected))) return { ok: false, reason: "bad token" };
  }
  if (auth.hmac) {
    const { header, prefix = "", algorithm = "sha256", timestampHeader, toleranceSeconds = 300 } = auth.hmac;
    const secret = secrets[auth.hmac.secret];
    if (typeof secret !== "string" || !secret)
      return { ok: false, reason: `the ${auth.hmac.secret} secret is not set` };
    const signature = request.headers.get(header) ?? "";
    let message = request.body;
    if (timestampHeader) {
      const timestamp = Number(request.headers.get(timestampHeader));
      if (!Number.isFinite(timestamp) || Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds)
        return { ok: false, reason: "stale or missing timestamp" };
      message = `${timestamp}.${request.body}`;
    }
    const digest = signature.startsWith(prefix) ? fromHex(signature.slice(prefix.length)) : undefined;
    // crypto.subtle.verify compares in constant time.
    const valid =
      digest !== undefined &&
      (await crypto.subtle.verify("HMAC", await hmacKey(secret, algorithm, "verify"), digest, encoder.encode(message)));
    if (!valid) return { ok: false, reason: "bad signature" };
    return { ok: true, signed: message };
  }
  return { ok: true };
}
