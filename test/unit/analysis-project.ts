// Analysis test helper: a temp project holding the definitions workflow sources import, and a
// function analysing a workflow source string as if it were `workflows/<name>.ts` in it.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { analyzeWorkflowFile, type WorkflowFileAnalysis } from "../../cli/analysis/analyze-workflow.ts";
import type { GraphNode } from "../../sdk/workflow-graph.ts";

const ACTIONS = `import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
export const processItem = defineAction({ slug: "process-item", input: z.any(), output: z.any(), run: async (x) => x });
export const ping = defineAction({ slug: "ping", input: z.any(), output: z.any(), run: async (x) => x });
const notify = defineAction({ slug: "notify", input: z.any(), output: z.any(), run: async (x) => x });
export { notify as sendNotice };
`;

const CHILD = `import { defineWorkflow } from "cairn-workflows/workflow";
export default defineWorkflow({ slug: "enrich-lead", input, output, run: async () => ({}) });
`;

const AGENT = `import { defineAgent } from "cairn-workflows/agent";
const triage = defineAgent({ slug: "triage", model: "openai/gpt-4o-mini", instructions: "" });
export default triage;
`;

let root: string | undefined;

/** The temp project (created once per test file): actions/, agents/ and one child workflow. */
export function projectDir(): string {
  if (root) return root;
  root = mkdtempSync(join(tmpdir(), "cairn-analysis-"));
  for (const [path, text] of Object.entries({
    "actions/steps.ts": ACTIONS,
    "workflows/enrich-lead.ts": CHILD,
    "agents/triage.ts": AGENT,
  })) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** The imports every table row's source starts with. */
export const IMPORTS = `import { defineWorkflow, promptLlm } from "cairn-workflows/workflow";
import { ping, processItem, sendNotice } from "../actions/steps.ts";
import * as steps from "../actions/steps.ts";
import enrichLead from "./enrich-lead.ts";
import triage from "../agents/triage.ts";
`;

/** A workflow file around a `run` body: `(input, ctx)` parameters, slug "orders". */
export function workflowSource(body: string, params = "input, ctx"): string {
  return `${IMPORTS}
export default defineWorkflow({
  slug: "orders",
  input,
  output,
  run: async (${params}) => {
${body}
  },
});
`;
}

/** Analyses `text` as `workflows/orders.ts` of the temp project. */
export function analyze(text: string): WorkflowFileAnalysis {
  const path = join(projectDir(), "workflows", "orders.ts");
  return analyzeWorkflowFile(text, path, "workflows/orders.ts");
}

/** The graph's nodes with step details reduced to `kind:name` and without lines, for tables. */
export function outline(node: GraphNode): unknown {
  switch (node.type) {
    case "step":
      return `${node.kind}:${node.name}`;
    case "sequence":
      return node.children.map(outline);
    case "branch":
      return { [node.kind]: node.label, arms: node.arms.map((arm) => ({ [arm.label]: outline(arm.body) })) };
    case "loop":
      return { [node.kind]: node.label, body: outline(node.body) };
    case "parallel":
      return { parallel: node.label, branches: node.branches.map(outline) };
    case "fan-out":
      return { "fan-out": node.label, body: outline(node.body) };
  }
}

/** The site ids of a source's call sites, by label. */
export function idsByLabel(text: string): Record<string, string> {
  return Object.fromEntries(analyze(text).sites.map((site) => [site.label, site.id]));
}
