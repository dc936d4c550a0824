// Run ids and hook tokens: random or derived, and recognisable at the router without a lookup.
import { createHash, timingSafeEqual } from "node:crypto";

const RUN_ID = /^run_[0-9a-f]{32}$/;

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A fresh run id with 128 random bits. */
export function newRunId(): string {
  return `run_${hex(crypto.getRandomValues(new Uint8Array(16)))}`;
}

/**
 * The scope an idempotency key is hashed in (decision 0013). API `Idempotency-Key`s keep the
 * workflow's slug, as before, so a retried start still finds its run across upgrades; keys that
 * triggers derive from a delivery live under `trigger:<slug>`, which no API key can reach (a slug
 * has no `:`), so an API caller cannot claim the run id of a delivery that has not arrived yet.
 * @example keyScope("greeting", "api") // "greeting"; keyScope("greeting", "trigger") // "trigger:greeting"
 */
export function keyScope(workflow: string, namespace: "api" | "trigger"): string {
  return namespace === "api" ? workflow : `trigger:${workflow}`;
}

/** The run id an idempotency key maps to, so a repeated start finds the same run. */
export async function runIdForKey(scope: string, key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${scope}\u0000${key}`));
  return `run_${hex(new Uint8Array(digest).slice(0, 16))}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}

/**
 * A hook token: the run's Durable Object id (an opaque hash, from which no run data can be
 * derived) so the router can route it, then 128 random bits that the object checks.
 */
export function newHookToken(objectId: string): string {
  return `${objectId}-${hex(crypto.getRandomValues(new Uint8Array(16)))}`;
}

/** The object id part of a token, or undefined when it cannot be one. */
export function objectIdOfToken(token: string): string | undefined {
  const match = /^([0-9a-f]{64})-[0-9a-f]{32}$/.exec(token);
  return match?.[1];
}

/**
 * Compares two strings without leaking where they differ, or how long either is, through timing:
 * both sides are hashed to SHA-256 first and the equal-length digests compared in constant time.
 * (Synchronous on purpose: token checks run inside a Durable Object's synchronous segment.)
 * @example safeEqual(presented, env.CAIRN_API_KEY)
 */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash("sha256").update(a, "utf8").digest();
  const right = createHash("sha256").update(b, "utf8").digest();
  // Equal digests with unequal strings would need a SHA-256 collision.
  return timingSafeEqual(left, right);
}
