// POST /hooks/:token (a JSON body, or the confirmation page's form) and GET /hooks/:token (query
// parameters, for links in email and chat). No API key: the token is the credential. A GET only
// resumes a hook created with `resumeOnGet`; otherwise it answers a confirmation whose one-click
// POST resumes, so link scanners and unfurlers record nothing. HEAD and prefetches never resume.
import { type Context, Hono } from "hono";
import type { Env } from "../../env.ts";
import type { HookResumeResult, HookVia } from "../../run/hook-payload.ts";
import { objectIdOfToken } from "../../run/ids.ts";
import { readJson, readText } from "../body.ts";
import { ApiError, unwrap } from "../errors.ts";
import { hookConfirmPage, hookPage, hookPageHeaders } from "../pages/hook-page.ts";

type HookContext = Context<{ Bindings: Env }>;

async function resume(c: HookContext, payload: unknown, source: "body" | "query", via: HookVia = "post") {
  const token = c.req.param("token") ?? "";
  const objectId = objectIdOfToken(token);
  if (!objectId) throw new ApiError("hook_not_found", "no hook with this token");
  let id: DurableObjectId;
  try {
    id = c.env.RUNS.idFromString(objectId);
  } catch {
    throw new ApiError("hook_not_found", "no hook with this token");
  }
  return unwrap<HookResumeResult>(await c.env.RUNS.get(id).resumeHook(token, payload, source, via));
}

const wantsHtml = (c: Context) => /text\/html/.test(c.req.header("accept") ?? "");

/** HEAD, and a browser's speculative fetch (`Sec-Purpose: prefetch`, `Purpose: prefetch`). */
function isPreview(c: Context): boolean {
  if (c.req.method === "HEAD") return true;
  return /prefetch/i.test(`${c.req.header("sec-purpose") ?? ""} ${c.req.header("purpose") ?? ""}`);
}

/** Query or form fields in order, the first of a repeated name winning (as `c.req.query()` does). */
function firstOfEach(params: URLSearchParams): [string, string][] {
  const seen = new Map<string, string>();
  for (const [name, value] of params) if (!seen.has(name)) seen.set(name, value);
  return [...seen];
}

/** Runs `work` and answers a browser with a page: the outcome, or why the link cannot be used. */
async function asPage(c: HookContext, work: (nonce: string) => Promise<Response | undefined>): Promise<Response> {
  const nonce = hookPageHeaders(c);
  try {
    return (
      (await work(nonce)) ??
      c.html(hookPage(nonce, "Thanks, recorded", "Your response was recorded. You can close this page."))
    );
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return c.html(hookPage(nonce, "This link cannot be used", error.message), error.status as 400);
  }
}

export const hookRoutes = new Hono<{ Bindings: Env }>()
  .post("/:token", async (c) => {
    // The confirmation page's form: its fields are the link's query, typed as a GET types them.
    if (/^application\/x-www-form-urlencoded\b/i.test(c.req.header("content-type") ?? "")) {
      const fields = Object.fromEntries(firstOfEach(new URLSearchParams(await readText(c))));
      return asPage(c, async () => {
        await resume(c, fields, "query");
        return undefined;
      });
    }
    const payload = (await readJson(c)) ?? {};
    const { runId } = await resume(c, payload, "body");
    return c.json({ ok: true, runId });
  })
  .get("/:token", async (c) => {
    const fields = firstOfEach(new URL(c.req.url).searchParams);
    const via: HookVia = isPreview(c) ? "preview" : "get";
    if (!wantsHtml(c)) {
      const result = await resume(c, Object.fromEntries(fields), "query", via);
      if (result.resumed) return c.json({ ok: true, runId: result.runId });
      // A machine caller learns what to send instead; nothing was recorded.
      return c.json({
        ok: false,
        resumed: false,
        message: "nothing recorded: POST this payload to the same URL to resume (or create the hook with resumeOnGet)",
        post: { url: new URL(c.req.path, c.req.url).href, json: result.payload },
      });
    }
    return asPage(c, async (nonce) => {
      const result = await resume(c, Object.fromEntries(fields), "query", via);
      if (result.resumed) return undefined;
      return c.html(hookConfirmPage(nonce, result.payload, fields));
    });
  });
