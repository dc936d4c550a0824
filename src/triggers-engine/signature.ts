// Webhook credentials: a shared token, or an HMAC of the raw body (optionally with a signed
// timestamp, so a captured delivery cannot be replayed later). Compared in constant time.
import type { WebhookAuth } from "../../sdk/trigger.ts";
import { safeEqual } from "../run/ids.ts";

export type AuthResult = { ok: true } | { ok: false; reason: string };

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The hex HMAC of `message` under `secret`. */
export async function hmacHex(
  secret: string,
  message: string,
  algorithm: "sha256" | "sha1" = "sha256",
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: algorithm === "sha1" ? "SHA-1" : "SHA-256" },
    false,
    ["sign"],
  );
  return hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(message)));
}

export async function authenticate(
  auth: WebhookAuth | undefined,
  request: { body: string; headers: Headers; query: URLSearchParams },
  secrets: Record<string, unknown>,
  nowMs = Date.now(),
): Promise<AuthResult> {
  if (!auth) return { ok: true };
  if (auth.tokenSecret) {
    const expected = secrets[auth.tokenSecret];
    if (typeof expected !== "string" || !expected)
      return { ok: false, reason: `the ${auth.tokenSecret} secret is not set` };
    const presented = request.query.get("token") ?? request.headers.get("x-cairn-token") ?? "";
    if (!safeEqual(presented, expected)) return { ok: false, reason: "bad token" };
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
    const expected = prefix + (await hmacHex(secret, message, algorithm));
    if (!safeEqual(signature, expected)) return { ok: false, reason: "bad signature" };
  }
  return { ok: true };
}
