// The Worker's workflows and agents by slug: empty until createCairn (src/worker.ts) fills it.
import type { AgentDefinition } from "../../sdk/agent.ts";
import { graphSteps, type WorkflowGraph } from "../../sdk/workflow-graph.ts";
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";

export interface Registry {
  workflows: Map<string, WorkflowDefinition>;
  agents: Map<string, AgentDefinition>;
  /** The graphs `cairn generate` wrote (cairn.gen.ts `graphs`), by workflow slug. */
  graphs: Map<string, WorkflowGraph>;
}

/** The one registry of this isolate: routes, run objects and sessions look definitions up here. */
export const registry: Registry = { workflows: new Map(), agents: new Map(), graphs: new Map() };

/**
 * Adds definitions of one kind to `index` by slug; a value of another kind is skipped. Adding the
 * same definition again is a no-op (a test isolate may call createCairn twice), while a different
 * definition under a slug already taken throws, naming the slug: which one would run is a guess.
 */
export function indexBySlug<T extends { kind: string }>(
  index: Map<string, T>,
  kind: T["kind"],
  candidates: readonly unknown[],
  slugOf: (definition: T) => string,
): void {
  for (const candidate of candidates) {
    const definition = candidate as T | undefined;
    if (definition?.kind !== kind) continue;
    const slug = slugOf(definition);
    const known = index.get(slug);
    if (known === definition) continue;
    if (known) throw new Error(`two ${kind}s use the slug "${slug}"`);
    index.set(slug, definition);
  }
}

/** Registers workflows and agents (see indexBySlug for duplicates). */
export function registerDefinitions(workflows: readonly unknown[], agents: readonly unknown[] = []): void {
  indexBySlug<WorkflowDefinition>(registry.workflows, "workflow", workflows, (w) => w.slug);
  indexBySlug<AgentDefinition>(registry.agents, "agent", agents, (a) => a.slug);
}

/** Every call-site id of every registered graph; rebuilt when graphs are registered. */
let sites: ReadonlySet<string> | undefined;

/**
 * Registers the graphs `cairn generate` wrote. A graph replaces an earlier one of the same slug:
 * graphs are derived from the code, so the latest registration is the code now serving.
 */
export function registerGraphs(graphs: readonly WorkflowGraph[]): void {
  for (const graph of graphs) registry.graphs.set(graph.slug, graph);
  sites = undefined;
}

/** The graph of a workflow, when `cairn generate` analysed it. */
export function graphOf(slug: string): WorkflowGraph | undefined {
  return registry.graphs.get(slug);
}

/** The structure hash of a workflow's code (its graph's `version`), when known. */
export function versionOf(slug: string): string | undefined {
  return registry.graphs.get(slug)?.version;
}

/** Every call-site id the registered graphs know: a step marked with one of these is in the code. */
export function callSites(): ReadonlySet<string> {
  sites ??= new Set([...registry.graphs.values()].flatMap((graph) => graphSteps(graph.root).map((step) => step.site)));
  return sites;
}
