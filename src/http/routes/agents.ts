// GET /agents, POST /agents/:slug/prompt, GET /agents/:slug/sessions/:sessionId.
import { Hono } from "hono";
import { type SessionPromptResult, sessionObject } from "../../agents-runtime/session-object.ts";
import type { Env } from "../../env.ts";
import { registry } from "../../run/registry.ts";
import type { Result } from "../../run/result.ts";
import { readJson } from "../body.ts";
import { ApiError } from "../errors.ts";

function findAgent(slug: string) {
  const agent = registry.agents.get(slug);
  if (!agent)
    throw new ApiError("agent_not_found", `no agent with slug "${slug}"`, { known: [...registry.agents.keys()] });
  return agent;
}

export const agentRoutes = new Hono<{ Bindings: Env }>()
  .get("/", (c) =>
    c.json({
      agents: [...registry.agents.values()].map((a) => ({
        slug: a.slug,
        name: a.name,
        description: a.description ?? null,
      })),
    }),
  )
  .post("/:slug/prompt", async (c) => {
    const agent = findAgent(c.req.param("slug"));
    const body = (await readJson(c)) as { message?: unknown; sessionId?: unknown } | undefined;
    if (typeof body?.message !== "string" || body.message.length === 0)
      throw new ApiError("invalid_input", 'send { "message": string, "sessionId"?: string }');
    if (body.sessionId !== undefined && (typeof body.sessionId !== "string" || body.sessionId.length > 200)) {
      throw new ApiError("invalid_input", "sessionId must be a string of at most 200 characters");
    }
    // The session's object runs the turn: prompts to one session take turns, none lost.
    const sessionId = (body.sessionId as string | undefined) ?? crypto.randomUUID();
    // (RPC stubs cannot type `unknown` members; the shape is the object's own.)
    const result = (await sessionObject(c.env, sessionId).prompt({
      agent: agent.slug,
      sessionId,
      message: body.message,
    })) as Result<SessionPromptResult>;
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    return c.json(result.value);
  })
  .get("/:slug/sessions/:sessionId", async (c) => {
    findAgent(c.req.param("slug"));
    const sessionId = c.req.param("sessionId");
    const messages = await sessionObject(c.env, sessionId).load();
    if (messages.length === 0) throw new ApiError("session_not_found", `no session "${sessionId}"`);
    return c.json({ sessionId, messages });
  });
