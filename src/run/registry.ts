// The project's workflows, actions, agents and triggers, from the generated import list.
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";
import { actionModules, agentModules, triggerModules, workflowModules } from "../registry.gen.ts";

export interface Registry {
  workflows: Map<string, WorkflowDefinition>;
}

/** Indexes definitions by slug; two workflows with one slug stop the Worker from loading. */
export function buildRegistry(workflows: readonly unknown[]): Registry {
  const bySlug = new Map<string, WorkflowDefinition>();
  for (const candidate of workflows) {
    const workflow = candidate as WorkflowDefinition;
    if (workflow?.kind !== "workflow") continue;
    if (bySlug.has(workflow.slug)) throw new Error(`two workflows use the slug "${workflow.slug}"`);
    bySlug.set(workflow.slug, workflow);
  }
  return { workflows: bySlug };
}

export const registry = buildRegistry(workflowModules);
export { actionModules, agentModules, triggerModules };
