// POST /hooks/:token (JSON body) and GET /hooks/:token (query parameters, for links in email
// and chat). No API key: the token is the credential.
import { type Context, Hono } from "hono";
import type { Env } from "../../env.ts";
import { objectIdOfToken } from "../../run/ids.ts";
import { readJson } from "../body.ts";
import { ApiError, unwrap } from "../errors.ts";
import { hookPage } from "../pages/hook-page.ts";

async function resume(c: Context<{ Bindings: Env }>, payload: unknown, source: "body" | "query") {
  const token = c.req.param("token") ?? "";
  const objectId = objectIdOfToken(token);
  if (!objectId) throw new ApiError("hook_not_found", "no hook with this token");
  let id: DurableObjectId;
  try {
    id = c.env.RUNS.idFromString(objectId);
  } catch {
    throw new ApiError("hook_not_found", "no hook with this token");
  }
  return unwrap<{ runId: string }>(await c.env.RUNS.get(id).resumeHook(token, payload, source));
}

const wantsHtml = (c: Context) => /text\/html/.test(c.req.header("accept") ?? "");

export const hookRoutes = new Hono<{ Bindings: Env }>()
  .post("/:token", async (c) => {
    const payload = (await readJson(c)) ?? {};
    const { runId } = await resume(c, payload, "body");
    return c.json({ ok: true, runId });
  })
  .get("/:token", async (c) => {
    if (!wantsHtml(c)) {
      const { runId } = await resume(c, { ...c.req.query() }, "query");
      return c.json({ ok: true, runId });
    }
    try {
      await resume(c, { ...c.req.query() }, "query");
      return c.html(hookPage("Thanks, recorded", "Your response was recorded. You can close this page."));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return c.html(hookPage("This link cannot be used", error.message), error.status as 400);
    }
  });
