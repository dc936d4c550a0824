import { describe, expect, it } from "vitest";
import type { WebhookAuth } from "../../sdk/trigger.ts";
import { authenticate, hmacHex } from "../../src/triggers-engine/signature.ts";

const NOW_MS = Date.parse("2026-05-05T12:00:00Z");
const NOW_S = NOW_MS / 1000;
const secrets = { HOOK_TOKEN: "t0ken", SIGNING_KEY: "whsec-unit" };

function delivery(options: { body?: string; headers?: Record<string, string>; query?: string } = {}) {
  return {
    body: options.body ?? '{"a":1}',
    headers: new Headers(options.headers),
    query: new URLSearchParams(options.query ?? ""),
  };
}

describe("token auth", () => {
  const bySecret: WebhookAuth = { token: { secret: "HOOK_TOKEN" } };

  it("accepts the secret's token from the query or the x-cairn-token header", async () => {
    expect(await authenticate(bySecret, delivery({ query: "token=t0ken" }), secrets)).toEqual({ ok: true });
    expect(await authenticate(bySecret, delivery({ headers: { "x-cairn-token": "t0ken" } }), secrets)).toEqual({
      ok: true,
    });
  });

  it("refuses a wrong or missing token", async () => {
    expect(await authenticate(bySecret, delivery({ query: "token=t0ke" }), secrets)).toEqual({
      ok: false,
      reason: "bad token",
    });
    expect((await authenticate(bySecret, delivery(), secrets)).ok).toBe(false);
  });

  it("accepts a literal token written in the source", async () => {
    expect(await authenticate({ token: "inline" }, delivery({ query: "token=inline" }), {})).toEqual({ ok: true });
    expect((await authenticate({ token: "inline" }, delivery({ query: "token=other" }), {})).ok).toBe(false);
  });

  it("refuses every delivery, even an empty token, while the named secret is unset", async () => {
    const result = await authenticate({ token: { secret: "UNSET" } }, delivery({ query: "token=" }), {});
    expect(result).toEqual({ ok: false, reason: "the UNSET secret is not set" });
  });
});

describe("HMAC auth", () => {
  const github: WebhookAuth = {
    hmac: { secret: "SIGNING_KEY", header: "x-hub-signature-256", algorithm: "sha256", prefix: "sha256=" },
  };

  it("accepts a GitHub-style sha256 signature of the raw body and refuses one of another body", async () => {
    const body = '{"action":"opened"}';
    const signature = `sha256=${await hmacHex("whsec-unit", body)}`;
    const headers = { "x-hub-signature-256": signature };
    expect(await authenticate(github, delivery({ body, headers }), secrets)).toEqual({ ok: true, signed: body });
    expect(await authenticate(github, delivery({ body: `${body}\n`, headers }), secrets)).toEqual({
      ok: false,
      reason: "bad signature",
    });
  });

  it("refuses a signature without its prefix, with non-hex text, or missing", async () => {
    const body = "{}";
    const hex = await hmacHex("whsec-unit", body);
    for (const signature of [hex, "sha256=zz", "sha256=", undefined]) {
      const headers: Record<string, string> = signature === undefined ? {} : { "x-hub-signature-256": signature };
      expect((await authenticate(github, delivery({ body, headers }), secrets)).ok).toBe(false);
    }
  });

  it("verifies sha1 signatures when the source asks for them", async () => {
    const auth: WebhookAuth = { hmac: { secret: "SIGNING_KEY", header: "x-sig", algorithm: "sha1" } };
    const body = "ping";
    const sha1 = await hmacHex("whsec-unit", body, "sha1");
    expect(sha1).toHaveLength(40);
    expect(await authenticate(auth, delivery({ body, headers: { "x-sig": sha1 } }), secrets)).toEqual({
      ok: true,
      signed: body,
    });
    const sha256 = await hmacHex("whsec-unit", body);
    expect((await authenticate(auth, delivery({ body, headers: { "x-sig": sha256 } }), secrets)).ok).toBe(false);
  });

  it("signs `<timestamp>.<body>` and refuses a timestamp outside the tolerance", async () => {
    const auth: WebhookAuth = {
      hmac: { secret: "SIGNING_KEY", header: "x-sig", timestampHeader: "x-ts", toleranceSeconds: 60 },
    };
    const body = '{"n":1}';
    const signed = async (ts: number) => ({
      "x-sig": await hmacHex("whsec-unit", `${ts}.${body}`),
      "x-ts": String(ts),
    });
    expect(await authenticate(auth, delivery({ body, headers: await signed(NOW_S - 59) }), secrets, NOW_MS)).toEqual({
      ok: true,
      signed: `${NOW_S - 59}.${body}`,
    });
    expect(await authenticate(auth, delivery({ body, headers: await signed(NOW_S - 61) }), secrets, NOW_MS)).toEqual({
      ok: false,
      reason: "stale or missing timestamp",
    });
    // The body alone, signed without the timestamp, is not enough.
    const bodyOnly = { "x-sig": await hmacHex("whsec-unit", body), "x-ts": String(NOW_S) };
    expect((await authenticate(auth, delivery({ body, headers: bodyOnly }), secrets, NOW_MS)).ok).toBe(false);
  });

  it("requires both the token and the signature when a source declares both", async () => {
    const auth: WebhookAuth = { token: "inline", hmac: { secret: "SIGNING_KEY", header: "x-sig" } };
    const body = "{}";
    const headers = { "x-sig": await hmacHex("whsec-unit", body) };
    expect((await authenticate(auth, delivery({ body, headers }), secrets)).ok).toBe(false);
    expect(await authenticate(auth, delivery({ body, headers, query: "token=inline" }), secrets)).toEqual({
      ok: true,
      signed: body,
    });
  });

  it("accepts anything when the source declares no auth", async () => {
    expect(await authenticate(undefined, delivery(), {})).toEqual({ ok: true });
  });
});
