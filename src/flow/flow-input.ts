// The input key functions see: the run's input parsed by the workflow's schema, so keys are
// computed from the same values \`run\` receives.
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";

/** The parsed input (the raw one when it no longer parses: a deploy changed the schema). */
export function inputForKeys(workflow: WorkflowDefinition, raw: unknown): unknown {
  const parsed = workflow.input.safeParse(raw ?? {});
  return parsed.success ? parsed.data : raw;
}
