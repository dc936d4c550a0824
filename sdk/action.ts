// `cairn-workflows/action`: defineAction, the leaf steps a workflow calls.
import type { z } from "zod";
import { parseDuration, type Duration } from "./duration.ts";
import { UsageError, ValidationError } from "./errors.ts";
import type { RetryOptions } from "./engine/retry-policy.ts";
import { resolveCredentials } from "./credential-resolver.ts";
import type { CredentialDefinition, CredentialValues } from "./credentials.ts";
import { ambientScope, currentScope, type RunInfo, type StepCall } from "./engine/scope.ts";
import { currentStepLogs, type StepLogger, stepLogger } from "./engine/step-logs.ts";
import { registerOffloadedAction } from "./engine/offloaded-actions.ts";
import { assertSlug } from "./engine/slug.ts";

export type { Duration } from "./duration.ts";
export type { RetryOptions } from "./engine/retry-policy.ts";
export type { CredentialValues } from "./credentials.ts";
export type { StepLogger } from "./engine/step-logs.ts";
export { NonRetryableError } from "./errors.ts";

export interface ActionRunContext {
  /** Aborted when the attempt times out or the run is canceled. */
  signal: AbortSignal;
  /** This attempt's number, from 1. */
  attempt: number;
  /**
   * Logs a line on this step attempt (shown on the step, bounded, credentials redacted) and prints
   * it; `console.*` inside the step is captured the same way.
   * @example
   * run: async ({ to }, _credentials, ctx) => {
   *   ctx.log.info("sending to", to);
   *   return { id: await mailer.send(to) };
   * }
   */
  log: StepLogger;
}

/** What defineAction takes; `C` types the credentials `run` receives from those declared. */
export interface ActionOptions<
  I extends z.ZodType,
  O extends z.ZodType,
  C extends readonly CredentialDefinition[] = readonly [],
> {
  slug: string;
  name?: string;
  description?: string;
  input: I;
  output: O;
  /** Attempts and backoff; a number is the attempt count. */
  retries?: RetryOptions;
  /** Longest one attempt may run; it is then aborted and counts as a failed attempt. */
  timeout?: Duration;
  /** Secrets this action needs, resolved at step time and passed as `run`'s second argument. */
  credentials?: C;
  /**
   * Runs each attempt from a stateless Worker invocation (the `cairn-fanout` queue's consumer)
   * instead of inside the run's Durable Object, which sleeps meanwhile: for I/O-bound steps such
   * as a 30 s model call, billed as Worker CPU instead of the object's wall-clock duration
   * (decision 0023). The run shows `running` and the step `running` while it is out. Retries,
   * backoff, `timeout`, credentials, `ctx.log` and `ctx.signal` behave as in the run's object.
   * An attempt whose report does not arrive within `timeout` (plus a minute; 15 minutes without
   * one) is dispatched again under the same number, so the handler must tolerate running twice.
   * Takes effect in a Worker with the FANOUT queue bound, for inputs up to 96 KiB of JSON;
   * elsewhere the step runs in the run's object as usual. The slug must be unique in the Worker.
   * @example
   * export const summarize = defineAction({
   *   slug: "summarize",
   *   offload: true,
   *   timeout: "2m",
   *   input: z.object({ text: z.string() }),
   *   output: z.object({ summary: z.string() }),
   *   run: async ({ text }) => ({ summary: await callModel(text) }),
   * });
   */
  offload?: boolean;
  run: (input: z.output<I>, credentials: CredentialValues<C>, context: ActionRunContext) => Promise<z.input<O>>;
}

export interface ActionDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: "action";
  readonly slug: string;
  readonly name: string;
  readonly description?: string;
  readonly input: I;
  readonly output: O;
  readonly retries?: RetryOptions;
  readonly timeoutMs?: number;
  /** Attempts run outside the run's object (see `ActionOptions.offload`). */
  readonly offload?: boolean;
  /** Inside a workflow a durable step; elsewhere it simply executes. */
  run(input: z.input<I>): Promise<z.output<O>>;
}

/**
 * Defines an action: a leaf step with validated input and output.
 * @example
 * export const sendEmail = defineAction({
 *   slug: "send-email",
 *   input: z.object({ to: z.string() }),
 *   output: z.object({ id: z.string() }),
 *   run: async ({ to }) => ({ id: await mailer.send(to) }),
 * });
 */
export function defineAction<
  I extends z.ZodType,
  O extends z.ZodType,
  const C extends readonly CredentialDefinition[] = readonly [],
>(options: ActionOptions<I, O, C>): ActionDefinition<I, O> {
  assertSlug("action", options.slug);
  const timeoutMs = options.timeout === undefined ? undefined : parseDuration(options.timeout);
  /** Validates input, runs one attempt, validates output. No recording, no retries. */
  const invoke: Invoke<O> = async (input, signal, attempt = 1, run) => {
    const parsedInput = options.input.safeParse(input);
    if (!parsedInput.success) {
      throw new ValidationError(
        "invalid_input",
        `input of action ${options.slug} does not match its schema`,
        parsedInput.error.issues,
      );
    }
    const credentials = options.credentials?.length ? await resolveCredentials(options.credentials, run) : {};
    // Whatever the step logs, the values it was handed never reach its log.
    const logs = currentStepLogs();
    logs?.addSecrets(credentials);
    // resolveCredentials parsed one entry per declared credential with its own fields schema.
    const output = await options.run(parsedInput.data, credentials as CredentialValues<C>, {
      signal,
      attempt,
      log: stepLogger(logs),
    });
    const parsedOutput = options.output.safeParse(output);
    if (!parsedOutput.success) {
      throw new ValidationError(
        "invalid_output",
        `action ${options.slug} returned output that does not match its schema`,
        parsedOutput.error.issues,
      );
    }
    return parsedOutput.data;
  };
  const definition: ActionDefinition<I, O> = {
    kind: "action",
    slug: options.slug,
    name: options.name ?? options.slug,
    description: options.description,
    input: options.input,
    output: options.output,
    retries: options.retries,
    timeoutMs,
    ...(options.offload ? { offload: true } : {}),
    run(input) {
      const ambient = currentScope();
      if (ambient?.type === "run") {
        return ambient.scope.step(new ActionStep<O>(definition, invoke, input, ambient.scope.info));
      }
      if (ambient?.type === "action") {
        return Promise.reject(
          new UsageError(
            `action ${ambient.slug} called action ${options.slug}: actions are leaves; call both from a workflow`,
          ),
        );
      }
      return ambientScope.run({ type: "action", slug: options.slug }, () =>
        invoke(input, new AbortController().signal),
      );
    },
  };
  if (options.offload)
    registerOffloadedAction(options.slug, (input, signal, attempt, run) => invoke(input, signal, attempt, run));
  return definition;
}

type Invoke<O extends z.ZodType> = (
  input: unknown,
  signal: AbortSignal,
  attempt?: number,
  run?: RunInfo,
) => Promise<z.output<O>>;

/**
 * One call of an action as a durable step. A class rather than an object of closures: replay
 * builds one per recorded step, and the bundler's keep-names wraps every closure it creates.
 */
class ActionStep<O extends z.ZodType> implements StepCall<z.output<O>> {
  readonly kind = "action";
  readonly name: string;
  readonly retries?: RetryOptions;
  readonly timeoutMs?: number;
  readonly offload?: boolean;

  constructor(
    private readonly action: ActionDefinition<z.ZodType, O>,
    private readonly invoke: Invoke<O>,
    readonly input: unknown,
    private readonly info: RunInfo,
  ) {
    this.name = action.slug;
    this.retries = action.retries;
    this.timeoutMs = action.timeoutMs;
    this.offload = action.offload;
  }

  execute(signal: AbortSignal, attempt: number): Promise<z.output<O>> {
    return this.invoke(this.input, signal, attempt, this.info);
  }

  parseOutput(recorded: unknown): z.output<O> {
    return this.action.output.parse(recorded);
  }
}
