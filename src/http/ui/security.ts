// Dashboard security: the API key kept in an HttpOnly cookie after login, a double-submit CSRF
// token on every state-changing form, and strict headers (a nonce-based CSP, no framing).
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { safeEqual } from "../../run/ids.ts";
import { KEY_COOKIE, openWithoutKey } from "../auth.ts";
import { type AppEnv, basePathOf } from "../base-path.ts";

const CSRF_COOKIE = "cairn_csrf";

export type UiEnv = { Bindings: AppEnv["Bindings"]; Variables: AppEnv["Variables"] & { nonce: string; csrf: string } };
export type UiContext = Context<UiEnv>;

/** The dashboard's root in this request: `/ui`, or `/cairn/ui` when Cairn is mounted at /cairn. */
export function uiRoot(c: UiContext): string {
  return `${basePathOf(c)}/ui`;
}

function random(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sets the security headers and the CSRF cookie; the nonce lets the page's own inline script and stylesheet run. */
export const uiHeaders: MiddlewareHandler<UiEnv> = async (c, next) => {
  const nonce = random();
  let csrf = getCookie(c, CSRF_COOKIE);
  if (!csrf || !/^[0-9a-f]{32}$/.test(csrf)) {
    csrf = random();
    setCookie(c, CSRF_COOKIE, csrf, { httpOnly: true, sameSite: "Strict", path: uiRoot(c) });
  }
  c.set("nonce", nonce);
  c.set("csrf", csrf);
  await next();
  c.header(
    "Content-Security-Policy",
    `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
};

/** A form post must carry the token that is in its cookie (another site can set neither). */
export function csrfOk(c: UiContext, submitted: unknown): boolean {
  const cookie = getCookie(c, CSRF_COOKIE);
  return typeof submitted === "string" && !!cookie && safeEqual(submitted, cookie);
}

/**
 * How the dashboard treats this request: `open` without a key on loopback or with the opt-out,
 * `closed` without a key on a public host (nothing to sign in with), `signed-in` when the login
 * cookie holds the key, else `login`.
 */
export function dashboardAccess(c: UiContext): "open" | "closed" | "signed-in" | "login" {
  if (!c.env.CAIRN_API_KEY) return openWithoutKey(c.env, c.req.url) ? "open" : "closed";
  return signedIn(c) ? "signed-in" : "login";
}

/** Whether the login cookie holds the API key. */
function signedIn(c: UiContext): boolean {
  const key = c.env.CAIRN_API_KEY;
  if (!key) return false;
  const presented = getCookie(c, KEY_COOKIE);
  return !!presented && safeEqual(presented, key);
}

export function signIn(c: UiContext, key: string): boolean {
  if (!c.env.CAIRN_API_KEY || !safeEqual(key, c.env.CAIRN_API_KEY)) return false;
  setCookie(c, KEY_COOKIE, key, {
    httpOnly: true,
    sameSite: "Strict",
    // The whole of Cairn, not just /ui: the dashboard's event stream is a management route.
    path: basePathOf(c) || "/",
    secure: new URL(c.req.url).protocol === "https:",
  });
  return true;
}
