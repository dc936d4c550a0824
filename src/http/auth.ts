// Management routes take `Authorization: Bearer <key>` when the CAIRN_API_KEY secret is set.
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Env } from "../env.ts";
import { safeEqual } from "../run/ids.ts";
import { ApiError } from "./errors.ts";
import { KEY_COOKIE } from "./ui/security.ts";

export function isAuthorized(env: Env, header: string | undefined): boolean {
  if (!env.CAIRN_API_KEY) return true;
  const presented = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1] ?? "";
  return safeEqual(presented, env.CAIRN_API_KEY);
}

export const requireApiKey: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  // The dashboard's own requests (its live event stream) carry the key in its SameSite=Strict cookie.
  const cookie = getCookie(c, KEY_COOKIE);
  const viaCookie = !!c.env.CAIRN_API_KEY && !!cookie && safeEqual(cookie, c.env.CAIRN_API_KEY);
  if (!viaCookie && !isAuthorized(c.env, c.req.header("authorization"))) {
    throw new ApiError("unauthorized", "send Authorization: Bearer <CAIRN_API_KEY>");
  }
  await next();
};
