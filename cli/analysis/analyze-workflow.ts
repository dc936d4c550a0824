// The one entry both `cairn generate` and the `cairn-workflows/vite` plugin use: analyse a
// workflow file (its workflows, call sites and graphs) and write its instrumented code.
import type ts from "typescript";
import type { WorkflowGraph } from "../../sdk/workflow-graph.ts";
import { type CallSite, findCallSites } from "./call-sites.ts";
import { DefinitionResolver } from "./definitions.ts";
import { type InstrumentOptions, instrumentSource } from "./instrument.ts";
import { findWorkflows, parseSource } from "./parse-workflow.ts";
import { buildGraph } from "./workflow-graph-builder.ts";

/** A workflow file analysed: one graph per workflow it defines, and all their call sites. */
export interface WorkflowFileAnalysis {
  graphs: WorkflowGraph[];
  sites: CallSite[];
  sourceFile: ts.SourceFile;
  text: string;
}

/**
 * Analyses one workflow file. `path` locates its imports; `file` is how graphs name it.
 * @example analyzeWorkflowFile(text, "/app/src/workflows/orders.ts", "workflows/orders.ts").graphs[0]?.slug
 */
export function analyzeWorkflowFile(
  text: string,
  path: string,
  file: string,
  resolver: DefinitionResolver = new DefinitionResolver(),
): WorkflowFileAnalysis {
  const sourceFile = parseSource(path, text);
  const bindings = resolver.bindings(sourceFile, path);
  const graphs: WorkflowGraph[] = [];
  const sites: CallSite[] = [];
  for (const workflow of findWorkflows(sourceFile)) {
    const found = findCallSites(workflow, sourceFile, bindings);
    sites.push(...found);
    graphs.push(buildGraph(workflow, found, sourceFile, file));
  }
  return { graphs, sites, sourceFile, text };
}

/**
 * The analysed file's code with its call sites marked.
 * @example instrumentWorkflowFile(analyzeWorkflowFile(text, path, file))
 */
export function instrumentWorkflowFile(analysis: WorkflowFileAnalysis, options: InstrumentOptions = {}): string {
  return instrumentSource(analysis.text, analysis.sourceFile, analysis.sites, options);
}
