// `cairn-workflows/workflow`: what a workflow file imports.
import type { z } from "zod";
import { UsageError, ValidationError } from "./errors.ts";
import { createContext } from "./engine/context.ts";
import { workflowLogger } from "./engine/workflow-logs.ts";
import type { RetryOptions } from "./engine/retry-policy.ts";
import { ambientScope, currentScope, type StepScope } from "./engine/scope.ts";
import { assertSlug } from "./engine/slug.ts";
import { setFlowSpec } from "./engine/flow-spec.ts";
import { type FlowControlOptions, resolveFlowControl } from "./flow-control.ts";
import { setWorkflowBody, workflowBody } from "./engine/workflow-body.ts";
import type { WorkflowContext, WorkflowDefinition } from "./workflow-types.ts";

export {
  CairnError,
  HookTimeoutError,
  NonDeterminismError,
  NonRetryableError,
  StepTimeoutError,
  UsageError,
  ValidationError,
} from "./errors.ts";
export { type Duration, type DurationString, type DurationUnit, durationSchema } from "./duration.ts";
export type { HookHandle, HookOptions } from "./engine/scope.ts";
export type { RetryOptions } from "./engine/retry-policy.ts";
export type {
  BatchItem,
  BatchOptions,
  ConcurrencyOptions,
  DebounceOptions,
  FlowControlOptions,
  FlowKey,
  RateLimitOptions,
  SingletonOptions,
} from "./flow-control.ts";
export type { WorkflowContext, WorkflowDefinition, WorkflowInput, WorkflowOutput } from "./workflow-types.ts";

/** What defineWorkflow takes; `S` keeps the slug's literal type for typed clients. */
export interface WorkflowOptions<I extends z.ZodType, O extends z.ZodType, S extends string = string>
  extends FlowControlOptions<z.output<I>> {
  /** Stable key: the `POST /workflows/:slug` route, CLI commands, run history. */
  slug: S;
  name?: string;
  description?: string;
  input: I;
  output: O;
  /** Default retry policy for this workflow's action steps (an action's own wins). */
  retries?: RetryOptions;
  /** `{ mode: "subscribable" }`: a trigger starts one run per enabled subscription. */
  subscription?: { mode: "subscribable" };
  run: (input: z.output<I>, ctx: WorkflowContext) => Promise<z.input<O>>;
}

/**
 * Defines a durable workflow. Default-export it from a file in `src/workflows/`.
 * @example
 * export default defineWorkflow({
 *   slug: "greeting",
 *   input: z.object({ name: z.string() }),
 *   output: z.object({ message: z.string() }),
 *   run: async ({ name }) => ({ message: `Hello, ${name}!` }),
 * });
 */
export function defineWorkflow<I extends z.ZodType, O extends z.ZodType, const S extends string = string>(
  options: WorkflowOptions<I, O, S>,
): WorkflowDefinition<I, O, S> {
  assertSlug("workflow", options.slug);
  const definition: WorkflowDefinition<I, O, S> = {
    kind: "workflow",
    slug: options.slug,
    name: options.name ?? options.slug,
    description: options.description,
    input: options.input,
    output: options.output,
    retries: options.retries,
    subscription: options.subscription,
    run: (input) => runAsSubWorkflow(definition, input),
  };
  setWorkflowBody(definition, options.run);
  // Flow control (README "Flow control"): checked now, so a bad option fails at deploy, not at a start.
  setFlowSpec(
    definition,
    resolveFlowControl(options.slug, options as FlowControlOptions<never>, isArraySchema(options.input)),
  );
  return definition;
}

/** Whether a schema parses to an array (a batch workflow's input). */
function isArraySchema(schema: z.ZodType): boolean {
  return (schema as { def?: { type?: string } }).def?.type === "array";
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, code: string, what: string) {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(code, what, parsed.error.issues);
  return parsed.data as z.output<S>;
}

async function runBody<I extends z.ZodType, O extends z.ZodType>(
  definition: WorkflowDefinition<I, O>,
  input: unknown,
  ctx: WorkflowContext,
): Promise<z.output<O>> {
  const parsed = parseWith(
    definition.input,
    input,
    "invalid_input",
    `input of workflow ${definition.slug} does not match its schema`,
  );
  const output = await workflowBody(definition)(parsed, ctx);
  return parseWith(
    definition.output,
    output,
    "invalid_output",
    `workflow ${definition.slug} returned output that does not match its schema`,
  );
}

function runAsSubWorkflow<I extends z.ZodType, O extends z.ZodType>(
  definition: WorkflowDefinition<I, O>,
  input: z.input<I>,
): Promise<z.output<O>> {
  const ambient = currentScope();
  if (ambient?.type === "run") {
    return ambient.scope.child({
      name: definition.slug,
      ...(ambient.toolOf ? { forbidWaits: `it runs as a tool of agent ${ambient.toolOf}` } : {}),
      input,
      parseOutput: (recorded) => definition.output.parse(recorded),
      run: (scope: StepScope) => runBody(definition, input, createContext(scope)),
    });
  }
  if (ambient?.type === "action") {
    return Promise.reject(
      new UsageError(
        `action ${ambient.slug} called workflow ${definition.slug}: actions are leaves; call both from a workflow`,
      ),
    );
  }
  const reason = ambient?.type === "inline" ? ambient.reason : "it was called outside a durable run";
  return ambientScope.run({ type: "inline", reason }, () =>
    runBody(definition, input, inlineContext(definition.slug, reason)),
  );
}

/** The context of a workflow run inline (as an agent tool, or called directly): no durable waits. */
function inlineContext(slug: string, reason: string): WorkflowContext {
  const refuse = (what: string) => {
    throw new UsageError(
      `workflow ${slug} called ctx.${what}, but ${reason}; sleeps and hooks need a durable run (start it with POST /workflows/${slug} or a trigger)`,
    );
  };
  return {
    runId: "inline",
    workflow: slug,
    trigger: "api",
    triggeredAt: new Date(),
    sleep: () => Promise.reject(refuse("sleep")),
    hook: () => refuse("hook"),
    log: workflowLogger(undefined),
    // Nothing recorded to stay compatible with: an inline run always takes the new path.
    patched: () => true,
  };
}
export { promptLlm, type PromptOptions } from "./llm.ts";
