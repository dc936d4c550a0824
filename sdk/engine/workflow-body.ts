// Each workflow's body (the author's `run`), kept off the public definition object: users call
// `definition.run` (a sub-workflow step); the driver and agent tool runs look the body up here.
import { UsageError } from "../errors.ts";
import type { WorkflowContext, WorkflowDefinition } from "../workflow-types.ts";

/** A body as the engine calls it: with input its caller already parsed by the workflow's input schema. */
export type WorkflowBody = (input: unknown, ctx: WorkflowContext) => Promise<unknown>;

const bodies = new WeakMap<WorkflowDefinition, WorkflowBody>();

/** Records `body` as the code of `definition` (defineWorkflow calls it once per definition). */
export function setWorkflowBody<I>(
  definition: WorkflowDefinition,
  body: (input: I, ctx: WorkflowContext) => Promise<unknown>,
): void {
  // Every caller of the stored body passes input parsed by the same definition's schema, which is
  // what types `I`; the map cannot carry that per-entry type, hence the widening here.
  bodies.set(definition, body as WorkflowBody);
}

/**
 * The body of a workflow made by defineWorkflow; anything else (a hand-built object) fails clearly.
 * @example await workflowBody(greeting)({ name: "Ada" }, ctx);
 */
export function workflowBody(definition: WorkflowDefinition): WorkflowBody {
  const body = bodies.get(definition);
  if (!body) throw new UsageError(`workflow ${definition.slug} was not made by defineWorkflow`);
  return body;
}
