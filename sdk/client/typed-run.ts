// The type machinery of a typed client: from the project's definitions to `workflows.run`'s
// input and output by slug (as hono's `hc<typeof app>` types its routes). Types only.
import type { z } from "zod";
import type { RunStatus } from "../engine/run-status.ts";
import type { WorkflowDefinition } from "../workflow-types.ts";
import type { RunRecord } from "./records.ts";

/**
 * What a typed client learns the project's workflows from: the generated definitions module
 * (`typeof import("./cairn.gen")`, or any object with `workflows`) or a tuple of definitions.
 */
export type ClientDefinitions = { readonly workflows: readonly WorkflowDefinition[] } | readonly WorkflowDefinition[];

/** The workflows of `D`, as a union. */
type WorkflowsIn<D> = D extends readonly (infer W)[]
  ? W
  : D extends { readonly workflows: readonly (infer W)[] }
    ? W
    : never;
type SlugOf<W> = W extends { readonly slug: infer S extends string } ? S : never;
type WorkflowNamed<D, S> = Extract<WorkflowsIn<D>, { readonly slug: S }>;
type InputOf<W> = W extends { readonly input: infer I extends z.ZodType } ? z.input<I> : unknown;
type OutputOf<W> = W extends { readonly output: infer O extends z.ZodType } ? z.output<O> : unknown;

export interface RunWorkflowOptions {
  /** Starting twice with one key starts one run (the second answers `created: false`). */
  idempotencyKey?: string;
  /** Seconds to wait for the run to finish; the answer then carries its output. */
  wait?: number;
}

/** What starting a run answers: the run id and status, and the finished run when `wait` sufficed. */
export type StartedRun<O = unknown> = { runId: string; status: RunStatus; created?: boolean } & Partial<RunRecord<O>>;

/** `workflows.run` of a client without definitions: `W` (e.g. `typeof greeting`) types one call. */
export type LooseRunWorkflow = <W = unknown>(
  slug: string,
  input: InputOf<W>,
  opts?: RunWorkflowOptions,
) => Promise<StartedRun<OutputOf<W>>>;

/** `workflows.run` of a client typed by definitions: the slug picks the workflow's input and output. */
export type TypedRunWorkflow<D> = <S extends SlugOf<WorkflowsIn<D>>>(
  slug: S,
  input: InputOf<WorkflowNamed<D, S>>,
  opts?: RunWorkflowOptions,
) => Promise<StartedRun<OutputOf<WorkflowNamed<D, S>>>>;

/** `workflows.run` as a client typed by `D` (or not typed, `never`) has it. */
export type RunWorkflow<D> = [D] extends [never] ? LooseRunWorkflow : TypedRunWorkflow<D>;
