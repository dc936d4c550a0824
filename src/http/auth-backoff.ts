// Per-IP backoff for wrong API keys (bearer auth and the dashboard's login): after a few misses a
// client waits, twice as long after each further one. In memory per isolate, bounded in size.
import type { Context } from "hono";
import {
  AUTH_BACKOFF_BASE_MS,
  AUTH_BACKOFF_MAX_MS,
  AUTH_BACKOFF_TRACKED_IPS,
  AUTH_FAILURE_WINDOW_MS,
  AUTH_FAILURES_BEFORE_BACKOFF,
} from "../limits.ts";
import { ApiError } from "./errors.ts";

/** The knobs of an AuthBackoff (the defaults are the named limits). */
export interface AuthBackoffOptions {
  failuresBeforeBackoff: number;
  windowMs: number;
  baseMs: number;
  maxMs: number;
  trackedIps: number;
}

interface Entry {
  failures: number;
  firstAt: number;
  blockedUntil: number;
}

/**
 * Counts wrong keys per client and says how long a client must still wait. Pure apart from its
 * map: the clock is passed in, so tests need no sleeps.
 * @example
 * const backoff = new AuthBackoff();
 * if (backoff.waitMs(ip, Date.now()) > 0) refuse(); else if (!ok) backoff.fail(ip, Date.now());
 */
export class AuthBackoff {
  private readonly entries = new Map<string, Entry>();
  private readonly options: AuthBackoffOptions;

  constructor(options: Partial<AuthBackoffOptions> = {}) {
    this.options = {
      failuresBeforeBackoff: AUTH_FAILURES_BEFORE_BACKOFF,
      windowMs: AUTH_FAILURE_WINDOW_MS,
      baseMs: AUTH_BACKOFF_BASE_MS,
      maxMs: AUTH_BACKOFF_MAX_MS,
      trackedIps: AUTH_BACKOFF_TRACKED_IPS,
      ...options,
    };
  }

  /** Milliseconds `client` must still wait before its key is checked again (0: it may try now). */
  waitMs(client: string, now: number): number {
    const entry = this.entries.get(client);
    return entry ? Math.max(0, entry.blockedUntil - now) : 0;
  }

  /** Records a wrong key from `client`. */
  fail(client: string, now: number): void {
    let entry = this.entries.get(client);
    if (!entry || now - entry.firstAt > this.options.windowMs) {
      entry = { failures: 0, firstAt: now, blockedUntil: 0 };
      this.entries.delete(client);
      // Bounded: the client first seen longest ago is forgotten (Map keeps insertion order).
      if (this.entries.size >= this.options.trackedIps) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(client, entry);
    }
    entry.failures++;
    const over = entry.failures - this.options.failuresBeforeBackoff;
    if (over >= 0) entry.blockedUntil = now + Math.min(this.options.maxMs, this.options.baseMs * 2 ** over);
  }

  /** A right key clears the client's record. */
  succeed(client: string): void {
    this.entries.delete(client);
  }

  /** Clients remembered now (for tests of the bound). */
  get size(): number {
    return this.entries.size;
  }
}

/** The isolate's backoff for management keys. */
export const keyBackoff = new AuthBackoff();

/** The client's address as Cloudflare reports it (one shared bucket when it is absent, locally). */
export function clientIp(c: Context): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

/** Throws 429 `too_many_attempts` (with Retry-After) while this client is backing off. */
export function assertNotBackingOff(c: Context, now = Date.now()): void {
  const waitMs = keyBackoff.waitMs(clientIp(c), now);
  if (waitMs === 0) return;
  const retryAfterSeconds = Math.ceil(waitMs / 1000);
  c.header("retry-after", String(retryAfterSeconds));
  throw new ApiError("too_many_attempts", `too many wrong keys from this address; retry in ${retryAfterSeconds}s`, {
    retryAfterSeconds,
  });
}
