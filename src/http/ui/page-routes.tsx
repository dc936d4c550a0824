// The dashboard's pages (GET): workflows, one workflow with its canvas, the runs list and its row
// fragment, one run and its step panel, triggers, schedules and subscriptions.
import { Hono } from "hono";
import { graphOf, registry } from "../../run/registry.ts";
import { listRuns } from "../../history/list-runs.ts";
import type { Env } from "../../env.ts";
import { HomePage, type WorkflowStats } from "./pages/home.tsx";
import { RunPage } from "./pages/run.tsx";
import { RunsPage } from "./pages/runs.tsx";
import { RunRows, StatusChips } from "./pages/runs-rows.tsx";
import { WorkflowPage } from "./pages/workflow.tsx";
import { page } from "./render.tsx";
import { loadRun } from "./run-data.ts";
import { filterFromQuery, loadRuns } from "./runs-data.ts";
import type { UiContext, UiEnv } from "./security.ts";
import { stepFragment } from "./step-route.tsx";
import { workflowPaused, workflowQueues } from "./workflow-state.ts";

async function workflowStats(env: Env): Promise<Map<string, WorkflowStats>> {
  const { runs } = await listRuns(env, { limit: 500 });
  const stats = new Map<string, WorkflowStats>();
  for (const run of runs) {
    const entry = stats.get(run.workflow) ?? { total: 0, failed: 0, recent: [] };
    entry.total++;
    if (run.status === "failed") entry.failed++;
    entry.recent.push({ runId: run.runId, status: run.status });
    stats.set(run.workflow, entry);
  }
  return stats;
}

/** The run page, or 404; `notice` is an operation's refusal shown on top. */
export async function renderRun(c: UiContext, runId: string, notice?: string) {
  const data = await loadRun(c.env, runId);
  if (!data) return c.notFound();
  return page(
    c,
    <RunPage
      data={data}
      graph={graphOf(data.run.workflow)}
      nonce={c.get("nonce")}
      csrf={c.get("csrf")}
      notice={notice}
    />,
    notice ? 409 : 200,
  );
}

export const pageRoutes = new Hono<UiEnv>()
  .get("/", async (c) => {
    const workflows = [...registry.workflows.values()];
    return page(
      c,
      <HomePage workflows={workflows} stats={await workflowStats(c.env)} nonce={c.get("nonce")} csrf={c.get("csrf")} />,
    );
  })
  .get("/workflows/:slug", async (c) => {
    const workflow = registry.workflows.get(c.req.param("slug"));
    if (!workflow) return c.notFound();
    const recent = await loadRuns(c.env, { workflow: workflow.slug }, undefined, 10);
    return page(
      c,
      <WorkflowPage
        workflow={workflow}
        graph={graphOf(workflow.slug)}
        paused={await workflowPaused(c, workflow.slug)}
        queues={await workflowQueues(c, workflow.slug)}
        recent={recent}
        nonce={c.get("nonce")}
        csrf={c.get("csrf")}
      />,
    );
  })
  .get("/runs", async (c) => {
    const filter = filterFromQuery(c);
    const data = await loadRuns(c.env, filter, c.req.query("cursor") || undefined);
    return page(
      c,
      <RunsPage
        data={data}
        filter={filter}
        workflows={[...registry.workflows.keys()].sort()}
        nonce={c.get("nonce")}
        csrf={c.get("csrf")}
      />,
    );
  })
  .get("/runs/rows", async (c) => {
    const filter = filterFromQuery(c);
    const data = await loadRuns(c.env, filter, c.req.query("cursor") || undefined);
    return page(
      c,
      <>
        <RunRows runs={data.runs} next={data.next} />
        <StatusChips filter={filter} counts={data.counts} />
      </>,
    );
  })
  .get("/runs/:runId", (c) => renderRun(c, c.req.param("runId")))
  .get("/runs/:runId/steps/:stepId", (c) => stepFragment(c));
