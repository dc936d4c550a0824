// Who may use the management routes: `Authorization: Bearer <CAIRN_API_KEY>` (the dashboard's
// login cookie only for its event stream) when a key is set; without one, only loopback hosts
// (`wrangler dev`) or a Worker that opted out with CAIRN_ALLOW_UNAUTHENTICATED=true. Secure by
// default: a deploy is closed.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { readConfig } from "../config.ts";
import { isLoopback } from "../public-origin.ts";
import type { Env } from "../env.ts";
import { safeEqual } from "../run/ids.ts";
import type { AppEnv } from "./base-path.ts";
import { assertNotBackingOff, clientIp, keyBackoff } from "./auth-backoff.ts";
import { ApiError } from "./errors.ts";

/** The dashboard's login cookie: it holds the API key (HttpOnly, SameSite=Strict). */
export const KEY_COOKIE = "cairn_key";

/** What a Worker without a key answers on a public host, with the two ways out. */
export const API_KEY_REQUIRED_MESSAGE =
  "Cairn's management routes are closed until an API key is set: run `npx wrangler secret put CAIRN_API_KEY` (or set CAIRN_ALLOW_UNAUTHENTICATED=true to leave them open)";

/**
 * Whether a Worker without CAIRN_API_KEY lets this request in: on loopback, or when the Worker
 * opted out explicitly. (On Cloudflare the hostname is the one the client asked for: a public
 * deploy never sees `localhost`.)
 */
export function openWithoutKey(env: Env, url: string): boolean {
  return isLoopback(url) || readConfig(env).allowUnauthenticated;
}

function bearer(header: string | undefined): string {
  return /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1] ?? "";
}

/**
 * Throws unless the request may use a management route: 403 `api_key_required` when no key is set
 * and the host is public, 401 `unauthorized` when a key is set and the request does not carry it,
 * 429 `too_many_attempts` while its address is backing off after wrong keys (auth-backoff.ts).
 * `cookie`: the dashboard's login cookie is accepted too (only for its live event stream: see
 * requireApiKey).
 */
export function authorize(c: Context<AppEnv>, options: { cookie?: boolean } = {}): void {
  // The key comes from env itself, not from the config cached per env object: tests set and clear
  // it on the one shared env.
  const key = c.env.CAIRN_API_KEY;
  if (!key) {
    if (openWithoutKey(c.env, c.req.url)) return;
    throw new ApiError("api_key_required", API_KEY_REQUIRED_MESSAGE);
  }
  assertNotBackingOff(c);
  const presented = bearer(c.req.header("authorization"));
  if (presented && safeEqual(presented, key)) {
    keyBackoff.succeed(clientIp(c));
    return;
  }
  const cookie = options.cookie ? getCookie(c, KEY_COOKIE) : undefined;
  if (cookie && safeEqual(cookie, key)) return;
  if (presented || cookie) keyBackoff.fail(clientIp(c), Date.now());
  throw new ApiError("unauthorized", "send Authorization: Bearer <CAIRN_API_KEY>");
}

/**
 * The one management request the login cookie may make: the dashboard's live event stream
 * (`GET /runs/:runId/events`). Everything else needs the bearer key, so a page on another site
 * (or a stolen cookie in a script) cannot start, cancel or change anything.
 */
export function cookieMayAuthorize(c: Context): boolean {
  return c.req.method === "GET" && /\/runs\/run_[0-9a-f]{32}\/events$/.test(new URL(c.req.url).pathname);
}

/** Middleware form of `authorize` for whole route groups (`/workflows`, `/runs`, `/agents`). */
export const requireApiKey: MiddlewareHandler<AppEnv> = async (c, next) => {
  authorize(c, { cookie: cookieMayAuthorize(c) });
  await next();
};
