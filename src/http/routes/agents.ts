// GET /agents, POST /agents/:slug/prompt, GET /agents/:slug/sessions/:sessionId.
import { Hono } from "hono";
import type { Env } from "../../env.ts";
import { registry } from "../../run/registry.ts";
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
    try {
      return c.json(await agent.prompt({ message: body.message, sessionId: body.sessionId as string | undefined }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "missing_secret" || code === "non_retryable")
        throw new ApiError("agent_failed", (error as Error).message);
      throw new ApiError("agent_unavailable", (error as Error).message);
    }
  })
  .get("/:slug/sessions/:sessionId", async (c) => {
    findAgent(c.req.param("slug"));
    const sessionId = c.req.param("sessionId");
    const messages = await c.env.SESSIONS.get(c.env.SESSIONS.idFromName(sessionId)).load();
    if (messages.length === 0) throw new ApiError("session_not_found", `no session "${sessionId}"`);
    return c.json({ sessionId, messages });
  });
