// The types a workflow definition and its context are made of (kept apart from
// defineWorkflow so the engine can name them without importing the public module).
import type { z } from "zod";
import type { Duration } from "./duration.ts";
import type { RetryOptions } from "./engine/retry-policy.ts";
import type { HookHandle, HookOptions, RunInfo } from "./engine/scope.ts";
import type { StepLogger } from "./engine/step-logs.ts";

/** The `ctx` argument of a workflow's `run`. */
export interface WorkflowContext {
  readonly runId: string;
  /** Slug of the top-level workflow of this run. */
  readonly workflow: string;
  /** What started the run: `api`, `cron`, `webhook`, `poll`, `retry` or `subscription`. */
  readonly trigger: RunInfo["trigger"];
  /** The trigger source's slug, for runs a trigger started. */
  readonly source?: string;
  readonly triggeredAt: Date;
  /** The subscription this run serves, for subscribable workflows. */
  readonly subscription?: { id: string; subscriber: string };
  /**
   * Suspends the run for a duration or until a Date, holding no process.
   * @example await ctx.sleep("2 days");
   */
  sleep(target: Duration | Date): Promise<void>;
  /**
   * Creates a resume token and URL at once; awaiting the handle waits for the resume.
   * @example
   * const approval = ctx.hook({ schema: z.object({ approved: z.boolean() }), timeout: "24h" });
   * await sendEmail.run({ link: approval.resumeUrl });
   * const { approved } = await approval;
   */
  hook<T = unknown>(options?: HookOptions<T>): HookHandle<T>;
  /**
   * Logs a line on the run (shown with the run, credentials redacted) and prints it, once: the
   * body's replays neither record nor print it again.
   * @example ctx.log.info("charging", input.customerId);
   */
  readonly log: StepLogger;
  /**
   * Changes a workflow's logic for new runs while runs recorded by the old code keep their path.
   * Decided once per run and recorded: true when the run reaches this point live (a new run, or an
   * old one that had not got this far), false when it replays past it with a log the old code
   * wrote. Once no run recorded before the patch is live, delete the old branch and the check.
   * @example
   * if (ctx.patched("v2-tax")) total = await addTax.run({ total });
   * else total = await legacyTax.run({ total });
   */
  patched(patchId: string): boolean;
}

/**
 * What defineWorkflow returns. `S` is the slug as a literal type, so a typed client
 * (`createClient<typeof definitions>`) can look a workflow's input and output up by slug.
 */
export interface WorkflowDefinition<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  S extends string = string,
> {
  readonly kind: "workflow";
  readonly slug: S;
  readonly name: string;
  readonly description?: string;
  readonly input: I;
  readonly output: O;
  readonly retries?: RetryOptions;
  readonly subscription?: { mode: "subscribable" };
  /**
   * Inside a run: a sub-workflow step that runs inline. Outside: runs the body directly,
   * where `ctx.sleep`/`ctx.hook` fail because nothing durable is there to resume them.
   */
  run(input: z.input<I>): Promise<z.output<O>>;
}

/** The input a workflow accepts (what its input schema parses from). */
export type WorkflowInput<W extends WorkflowDefinition> = z.input<W["input"]>;

/** The output a workflow's run resolves to (what its output schema parses to). */
export type WorkflowOutput<W extends WorkflowDefinition> = z.output<W["output"]>;
