// Where Cairn is served: the path it is mounted under (`app.route("/cairn", cairn.app)`), found per
// request, so resume URLs, dashboard links and cookie paths carry it.
import type { Context, MiddlewareHandler } from "hono";
import { basePath as mountedAt } from "hono/route";
import type { Env } from "../env.ts";
import { noteLocalOrigin, originOfRequest } from "../public-origin.ts";

/** The Hono env of Cairn's routes: the Worker's bindings and the base path found per request. */
export type AppEnv = { Bindings: Env; Variables: { cairnBasePath: string } };

/**
 * `"/cairn/"`, `"cairn"` → `"/cairn"`; `""`, `"/"`, `undefined` → `""` (served at the root).
 * Throws on a value that is not a plain path, since every link would be built from it.
 */
export function normalizeBasePath(path: string | undefined): string {
  const trimmed = withoutEdgeSlashes(path ?? "");
  if (!/^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$/.test(trimmed))
    throw new Error(`basePath "${path}" is not a URL path such as "/cairn"`);
  return trimmed;
}

/** `"/cairn/"` → `"/cairn"`, `"/"` → `""`. */
function withoutEdgeSlashes(path: string): string {
  const inner = path.trim().replace(/^\/+|\/+$/g, "");
  return inner ? `/${inner}` : "";
}

/**
 * Records the base path of this request: the mount path Hono routed it through (parameters filled
 * in, so `/:tenant/cairn` works too), else `fallback` — the prefix of a Worker or proxy that strips
 * it before the request reaches Cairn (Hono's `app.mount`, say).
 */
export function detectBasePath(fallback: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // This middleware is registered on Cairn's own app with "*", so its route's base is the mount.
    const mounted = withoutEdgeSlashes(mountedAt(c));
    c.set("cairnBasePath", mounted || fallback);
    noteLocalOrigin(c.req.url, mounted || fallback);
    await next();
  };
}

/** The public path Cairn is served under in this request: `""` at the root, else e.g. `"/cairn"`. */
export function basePathOf<E extends AppEnv>(c: Context<E>): string {
  return c.get("cairnBasePath") ?? "";
}

/**
 * The URL Cairn is served at for this request, origin and base path (`https://x.dev/cairn`): what a
 * run records to build its hook resume URLs (`<serviceUrl>/hooks/<token>`). PUBLIC_URL when set; the
 * request's origin only on a loopback or CAIRN_ALLOWED_HOSTS host, else a ConfigError (public-origin.ts).
 */
export function serviceUrl<E extends AppEnv>(c: Context<E>): string {
  return originOfRequest(c.env, c.req.url, basePathOf(c));
}
