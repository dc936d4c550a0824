// Flow-control routes: pause and resume a workflow, and its queues per key (decision 0020).
import { Hono } from "hono";
import { z } from "zod";
import { pauseWorkflow, resumeWorkflow } from "../../flow/pause-service.ts";
import { workflowQueues } from "../../flow/queue-directory.ts";
import type { AppEnv } from "../base-path.ts";
import { readJson } from "../body.ts";
import { ApiError } from "../errors.ts";
import { findWorkflow } from "./workflows.ts";

const PauseBody = z.object({ reason: z.string().max(1_000).optional() }).strict();

/** Who asked: the CLI and the dashboard say so; anything else with the API key is `api`. */
function actor(c: { req: { header(name: string): string | undefined } }): string {
  const client = c.req.header("x-cairn-client");
  return client === "cli" || client === "dashboard" ? client : "api";
}

async function reasonOf(c: Parameters<typeof readJson>[0]): Promise<string | undefined> {
  const body = await readJson(c);
  if (body === undefined) return undefined;
  const parsed = PauseBody.safeParse(body);
  if (!parsed.success)
    throw new ApiError("invalid_input", 'the body must be {"reason"?: string}', { issues: parsed.error.issues });
  return parsed.data.reason;
}

export const flowRoutes = new Hono<AppEnv>()
  .post("/:slug/pause", async (c) => {
    const { slug } = findWorkflow(c.req.param("slug"));
    const reason = await reasonOf(c);
    const state = await pauseWorkflow(c.env, slug, actor(c), reason);
    return c.json({
      workflow: slug,
      paused: true,
      pausedAt: new Date(state.pausedAt).toISOString(),
      ...(state.reason ? { reason: state.reason } : {}),
      ...(state.by ? { by: state.by } : {}),
    });
  })
  .post("/:slug/resume", async (c) => {
    const { slug } = findWorkflow(c.req.param("slug"));
    const reason = await reasonOf(c);
    const released = await resumeWorkflow(c.env, slug, actor(c), reason);
    return c.json({ workflow: slug, paused: false, released });
  })
  .get("/:slug/queues", async (c) => {
    const { slug } = findWorkflow(c.req.param("slug"));
    return c.json({ workflow: slug, queues: await workflowQueues(c.env, slug) });
  });
