// The project's workflows, actions, agents and triggers, from the generated import list.
import type { AgentDefinition } from "../../sdk/agent.ts";
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";
import { actionModules, agentModules, triggerModules, workflowModules } from "../registry.gen.ts";

export interface Registry {
  workflows: Map<string, WorkflowDefinition>;
  agents: Map<string, AgentDefinition>;
}

/** Indexes one kind of definition by slug; two with one slug stop the Worker from loading. */
function bySlug<T extends { kind: string; slug: string }>(
  kind: T["kind"],
  modules: readonly unknown[],
): Map<string, T> {
  const index = new Map<string, T>();
  for (const candidate of modules) {
    const definition = candidate as T | undefined;
    if (definition?.kind !== kind) continue;
    if (index.has(definition.slug)) throw new Error(`two ${kind}s use the slug "${definition.slug}"`);
    index.set(definition.slug, definition);
  }
  return index;
}

export function buildRegistry(workflows: readonly unknown[], agents: readonly unknown[] = []): Registry {
  return {
    workflows: bySlug<WorkflowDefinition>("workflow", workflows),
    agents: bySlug<AgentDefinition>("agent", agents),
  };
}

export const registry = buildRegistry(workflowModules, agentModules);
export { actionModules, agentModules, triggerModules };
