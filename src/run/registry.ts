// The project's workflows, actions, agents and triggers, from the generated import list.
import type { AgentDefinition } from "../../sdk/agent.ts";
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";
import { actionModules, agentModules, triggerModules, workflowModules } from "../registry.gen.ts";

export interface Registry {
  workflows: Map<string, WorkflowDefinition>;
  agents: Map<string, AgentDefinition>;
}

/** Indexes definitions by slug; two workflows with one slug stop the Worker from loading. */
export function buildRegistry(workflows: readonly unknown[], agents: readonly unknown[] = []): Registry {
  const bySlug = new Map<string, WorkflowDefinition>();
  for (const candidate of workflows) {
    const workflow = candidate as WorkflowDefinition;
    if (workflow?.kind !== "workflow") continue;
    if (bySlug.has(workflow.slug)) throw new Error(`two workflows use the slug "${workflow.slug}"`);
    bySlug.set(workflow.slug, workflow);
  }
  const agentsBySlug = new Map<string, AgentDefinition>();
  for (const candidate of agents) {
    const agent = candidate as AgentDefinition;
    if (agent?.kind !== "agent") continue;
    if (agentsBySlug.has(agent.slug)) throw new Error(`two agents use the slug "${agent.slug}"`);
    agentsBySlug.set(agent.slug, agent);
  }
  return { workflows: bySlug, agents: agentsBySlug };
}

export const registry = buildRegistry(workflowModules, agentModules);
export { actionModules, agentModules, triggerModules };
