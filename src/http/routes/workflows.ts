// GET /workflows and POST /workflows/:slug (start a run).
import { Hono } from "hono";
import { z } from "zod";
import type { WorkflowDefinition } from "../../../sdk/workflow-types.ts";
import { graphOf, registry, versionOf } from "../../run/registry.ts";
import { runStub, startRun } from "../../run/start-run.ts";
import { pausedWorkflows, pauseFields } from "../../flow/pause-service.ts";
import { type AppEnv, serviceUrl } from "../base-path.ts";
import { readJson } from "../body.ts";
import { waitSeconds } from "../query.ts";
import { ApiError, unwrap } from "../errors.ts";
import type { StartResult } from "../../run/start-request.ts";
import { isFinishedStatus } from "../../../sdk/engine/run-status.ts";
import type { RunView } from "../../run/run-view.ts";

function jsonSchema(schema: z.ZodType): unknown {
  try {
    return z.toJSONSchema(schema, { unrepresentable: "any", io: "input" });
  } catch {
    return {};
  }
}

/** A workflow as the registry route describes it. */
export function describeWorkflow(workflow: WorkflowDefinition) {
  // The structure hash `cairn generate` computed, when the workflow was analysed.
  const version = versionOf(workflow.slug);
  return {
    slug: workflow.slug,
    name: workflow.name,
    description: workflow.description ?? null,
    input: jsonSchema(workflow.input),
    output: jsonSchema(workflow.output),
    subscribable: workflow.subscription?.mode === "subscribable",
    ...(version === undefined ? {} : { version }),
  };
}

export function findWorkflow(slug: string): WorkflowDefinition {
  const workflow = registry.workflows.get(slug);
  if (!workflow)
    throw new ApiError("workflow_not_found", `no workflow with slug "${slug}"`, {
      known: [...registry.workflows.keys()],
    });
  return workflow;
}

export const workflowRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    // Paused workflows (routes/flow.ts): one read of history shard 0, which is paused last.
    const paused = await pausedWorkflows(c.env);
    const workflows = [...registry.workflows.values()].map((w) => ({
      ...describeWorkflow(w),
      ...pauseFields(paused.get(w.slug)),
    }));
    return c.json({ workflows });
  })
  .get("/:slug", async (c) => {
    const workflow = findWorkflow(c.req.param("slug"));
    return c.json({ ...describeWorkflow(workflow), ...pauseFields((await pausedWorkflows(c.env)).get(workflow.slug)) });
  })
  .get("/:slug/graph", (c) => {
    const { slug } = findWorkflow(c.req.param("slug"));
    const graph = graphOf(slug);
    if (!graph)
      throw new ApiError("graph_unavailable", `workflow "${slug}" has no graph: run \`cairn generate\` to analyse it`);
    return c.json(graph);
  })
  .post("/:slug", async (c) => {
    const workflow = findWorkflow(c.req.param("slug"));
    const wait = waitSeconds(c.req.query("wait"));
    const input = await readJson(c);
    const idempotencyKey = c.req.header("idempotency-key") || undefined;
    if (idempotencyKey && idempotencyKey.length > 255)
      throw new ApiError("invalid_input", "Idempotency-Key is longer than 255 characters");
    const started = await startRun(c.env, workflow, input, {
      trigger: { type: "api" },
      idempotencyKey,
      origin: serviceUrl(c),
    });
    const { runId, status, created } = unwrap<StartResult>(started);
    if (wait !== undefined) {
      const finished = unwrap<RunView>(await runStub(c.env, runId).waitFor(wait * 1000, true));
      if (isFinishedStatus(finished.status)) return c.json(finished, 200);
    }
    return c.json({ runId, status, created }, created ? 202 : 200);
  });
