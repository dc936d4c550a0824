// GET /workflows/:slug/graph serves the graph `cairn generate` wrote; the registry knows every
// call-site id; and a run of the instrumented workflow records the graph's site ids on its steps.
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { graphSteps } from "../../sdk/workflow-graph.ts";
import { callSites, graphOf, versionOf } from "../../src/run/registry.ts";
import { createCairn } from "../../src/worker.ts";
import { graphless, graphShapes } from "../fixtures/call-sites/graph-shapes.ts";
import { graphShapesGraph } from "../fixtures/call-sites/graphs.ts";
import { startRun, testEnv, waitForStatus } from "./helpers.ts";

const cairn = createCairn({ workflows: [graphShapes, graphless], graphs: [graphShapesGraph] });

async function get(path: string) {
  const response = await cairn.fetch(new Request(`http://cairn.test${path}`), testEnv, createExecutionContext());
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("GET /workflows/:slug/graph", () => {
  it("answers 200 with the workflow's graph", async () => {
    const { status, body } = await get("/workflows/graph-shapes/graph");
    expect(status).toBe(200);
    expect(body).toEqual(graphShapesGraph);
    expect((body.root as { children: { type: string }[] }).children.map((node) => node.type)).toEqual([
      "parallel",
      "loop",
      "branch",
    ]);
  });

  it("answers 404 graph_unavailable, naming `cairn generate`, for a workflow without a graph", async () => {
    const { status, body } = await get("/workflows/graphless/graph");
    expect(status).toBe(404);
    const error = body.error as { code: string; message: string };
    expect(error.code).toBe("graph_unavailable");
    expect(error.message).toContain("cairn generate");
  });

  it("answers 404 workflow_not_found for an unknown slug", async () => {
    const { status, body } = await get("/workflows/no-such-workflow/graph");
    expect(status).toBe(404);
    expect((body.error as { code: string }).code).toBe("workflow_not_found");
  });
});

describe("the registry's graphs", () => {
  it("list the structure version on GET /workflows and GET /workflows/:slug, when known", async () => {
    const list = (await get("/workflows")).body.workflows as { slug: string; version?: string }[];
    expect(list.find((w) => w.slug === "graph-shapes")?.version).toBe(graphShapesGraph.version);
    expect(list.find((w) => w.slug === "graphless")).not.toHaveProperty("version");
    expect((await get("/workflows/graph-shapes")).body.version).toBe(graphShapesGraph.version);
  });

  it("know every call-site id, each workflow's graph and its version", () => {
    const sites = graphSteps(graphShapesGraph.root).map((step) => step.site);
    expect(sites).toHaveLength(4);
    for (const site of sites) expect(callSites().has(site)).toBe(true);
    expect(graphOf("graph-shapes")).toBe(graphShapesGraph);
    expect(graphOf("graphless")).toBeUndefined();
    expect(versionOf("graph-shapes")).toBe(graphShapesGraph.version);
  });

  it("match the site ids a run of the instrumented workflow records on its steps", async () => {
    const runId = await startRun("graph-shapes", { items: [5, 6] });
    const run = await waitForStatus(runId, ["success", "failed"]);
    expect(run.output).toEqual({ total: 25 });
    const events = (await (
      await cairn.fetch(new Request(`http://cairn.test/runs/${runId}/events`), testEnv, createExecutionContext())
    ).json()) as { events: { type: string; stepId?: string; site?: string }[] };
    const recorded = events.events.filter((e) => e.type === "step_started").map((e) => e.site);
    const [one, two, loop] = graphSteps(graphShapesGraph.root).map((step) => step.site);
    // Each site's occurrences count from #0: the loop's call site ran twice.
    expect(recorded).toEqual([`${one}#0`, `${two}#0`, `${loop}#0`, `${loop}#1`]);
  });
});
