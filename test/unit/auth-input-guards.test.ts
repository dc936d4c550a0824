// The pure guards behind issue 18: secret redaction, the length-hiding key compare, the JSON depth
// scan, the exact JSON content type, and the per-address backoff arithmetic.
import { describe, expect, it } from "vitest";
import { AuthBackoff } from "../../src/http/auth-backoff.ts";
import { isJsonType, jsonDepth } from "../../src/http/body.ts";
import { ProviderError, redactSecrets } from "../../src/models/provider-error.ts";
import { safeEqual } from "../../src/run/ids.ts";

describe("redactSecrets", () => {
  it.each([
    ["Incorrect API key provided: sk-proj-abc123DEF456ghi789", "Incorrect API key provided: [redacted]"],
    ["invalid x-api-key sk-ant-api03-AbCdEf123456", "invalid x-api-key [redacted]"],
    ["slack said xoxb-1234-5678-abcdefgh no", "slack said [redacted] no"],
    ["token ghp_abcdefghijklmnop1234 revoked", "token [redacted] revoked"],
    ["github_pat_11ABCDEFG0123456789_abcdef bad", "[redacted] bad"],
    ["resend re_123456789abcdefghXYZ failed", "resend [redacted] failed"],
    ["sent Authorization: Bearer abc.def-ghi_123", "sent Authorization: Bearer [redacted]"],
    ["key 0123456789abcdef0123456789abcdef0123 leaked", "key [redacted] leaked"],
    ["blob QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3OA== end", "blob [redacted] end"],
  ])("redacts %s", (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it("keeps run ids, slugs and ordinary prose", () => {
    const text =
      "run run_0123456789abcdef0123456789abcdef of customer-onboarding-with-manager-approval failed: rate limited";
    expect(redactSecrets(text)).toBe(text);
  });

  it("is applied to a provider error's message and stack before anything stores them", () => {
    const error = new ProviderError(
      "non_retryable",
      "openai: Incorrect API key provided: sk-live-0123456789abcdef",
      401,
    );
    expect(error.message).toBe("openai: Incorrect API key provided: [redacted]");
    expect(error.stack).not.toContain("sk-live");
  });
});

describe("safeEqual", () => {
  it("compares strings of any lengths by their digests", () => {
    expect(safeEqual("deploy-key", "deploy-key")).toBe(true);
    expect(safeEqual("deploy-key", "deploy-kez")).toBe(false);
    expect(safeEqual("d", "deploy-key")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});

describe("jsonDepth", () => {
  it("counts nesting outside strings without recursing", () => {
    expect(jsonDepth('{"a":[1,"]]}{[",{"b":{}}]}')).toBe(4);
    expect(jsonDepth('"\\"[[["')).toBe(0);
    expect(jsonDepth("[".repeat(100_000), 64)).toBe(65);
  });
});

describe("isJsonType", () => {
  it("accepts application/json with parameters and nothing else", () => {
    expect(isJsonType("application/json")).toBe(true);
    expect(isJsonType("Application/JSON; charset=utf-8")).toBe(true);
    for (const type of ["text/plain", "text/json", "text/plain+json", "application/jsonp", "application/x-json"])
      expect(isJsonType(type), type).toBe(false);
  });
});

describe("AuthBackoff", () => {
  it("lets a few misses through, then doubles the wait with each further miss up to the maximum", () => {
    const backoff = new AuthBackoff({ failuresBeforeBackoff: 3, baseMs: 1_000, maxMs: 4_000, windowMs: 60_000 });
    for (let i = 0; i < 2; i++) backoff.fail("a", 0);
    expect(backoff.waitMs("a", 0)).toBe(0);
    backoff.fail("a", 0);
    expect(backoff.waitMs("a", 0)).toBe(1_000);
    backoff.fail("a", 1_000);
    expect(backoff.waitMs("a", 1_000)).toBe(2_000);
    backoff.fail("a", 3_000);
    backoff.fail("a", 7_000);
    expect(backoff.waitMs("a", 7_000)).toBe(4_000);
    expect(backoff.waitMs("b", 7_000)).toBe(0);
    backoff.succeed("a");
    expect(backoff.waitMs("a", 7_000)).toBe(0);
  });

  it("forgets misses older than its window and remembers a bounded number of addresses", () => {
    const backoff = new AuthBackoff({ failuresBeforeBackoff: 2, windowMs: 1_000, trackedIps: 3 });
    backoff.fail("a", 0);
    backoff.fail("a", 5_000);
    expect(backoff.waitMs("a", 5_000)).toBe(0);
    for (const ip of ["b", "c", "d", "e"]) backoff.fail(ip, 5_000);
    expect(backoff.size).toBe(3);
  });
});
