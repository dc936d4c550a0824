// Subscriptions of subscribable workflows: POST/GET /workflows/:slug/subscriptions,
// PATCH/DELETE /workflows/:slug/subscriptions/:id. Credential values go in, never come out.
import { Hono } from "hono";
import { z } from "zod";
import type { Env } from "../../env.ts";
import { workflowObject } from "../../triggers-engine/dispatch.ts";
import { readJson } from "../body.ts";
import { ApiError } from "../errors.ts";
import { pageSize } from "../query.ts";
import { findWorkflow } from "./workflows.ts";

const Create = z.object({
  subscriber: z.string().min(1).max(200),
  metadata: z.record(z.string(), z.unknown()).optional(),
  credentials: z.record(z.string(), z.record(z.string(), z.string())).optional(),
});
const Patch = z.object({ enabled: z.boolean() });

function subscribable(slug: string) {
  const workflow = findWorkflow(slug);
  if (workflow.subscription?.mode !== "subscribable") {
    throw new ApiError(
      "not_subscribable",
      `workflow ${slug} is not subscribable (set subscription: { mode: "subscribable" })`,
    );
  }
  return workflow;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ApiError("invalid_input", "the body does not match the expected shape", { issues: parsed.error.issues });
  return parsed.data;
}

export const subscriptionRoutes = new Hono<{ Bindings: Env }>()
  .post("/:slug/subscriptions", async (c) => {
    const slug = subscribable(c.req.param("slug")).slug;
    const body = parse(Create, await readJson(c));
    // Stored credentials are encrypted at rest: without the key nothing is stored, and the fault
    // is the deploy's (500, as for any misconfigured variable), never the request's.
    if (body.credentials && Object.keys(body.credentials).length > 0 && !c.env.CAIRN_ENCRYPTION_KEY)
      throw new ApiError(
        "invalid_config",
        "set the CAIRN_ENCRYPTION_KEY secret (wrangler secret put CAIRN_ENCRYPTION_KEY; .dev.vars locally) to store subscriber credentials",
      );
    const created = await workflowObject(c.env, slug).create(body);
    if ("conflict" in created)
      throw new ApiError("subscription_exists", `${body.subscriber} is already subscribed to ${slug}`);
    return c.json(created, 201);
  })
  .get("/:slug/subscriptions", async (c) => {
    const slug = subscribable(c.req.param("slug")).slug;
    return c.json(
      await workflowObject(c.env, slug).list({ after: c.req.query("cursor"), limit: pageSize(c.req.query("limit")) }),
    );
  })
  .patch("/:slug/subscriptions/:id", async (c) => {
    const slug = subscribable(c.req.param("slug")).slug;
    const { enabled } = parse(Patch, await readJson(c));
    const updated = await workflowObject(c.env, slug).setEnabled(c.req.param("id"), enabled);
    if (!updated) throw new ApiError("subscription_not_found", "no subscription with this id");
    return c.json(updated);
  })
  .delete("/:slug/subscriptions/:id", async (c) => {
    const slug = subscribable(c.req.param("slug")).slug;
    if (!(await workflowObject(c.env, slug).remove(c.req.param("id"))))
      throw new ApiError("subscription_not_found", "no subscription with this id");
    return c.json({ deleted: true });
  });
