// A workflow's flow control as the engine reads it: every option resolved (durations in ms, key
// functions typed over plain input), kept beside the definition rather than on its public type.
import type { WorkflowDefinition } from "../workflow-types.ts";

/** A key function's input: the parsed workflow input. */
export type KeyFn = (input: never) => unknown;

/** The stages a start passes through, in order; each may hold the run back. */
export const FLOW_STAGES = ["paused", "singleton", "debounce", "batch", "rate_limit", "concurrency"] as const;
export type FlowStage = (typeof FLOW_STAGES)[number];

export interface FlowSpec {
  concurrency?: { limit: number; key?: KeyFn; holdWhileWaiting: boolean };
  rateLimit?: { limit: number; periodMs: number; key?: KeyFn; mode: "delay" | "drop" };
  debounce?: { periodMs: number; key?: KeyFn; maxWaitMs?: number };
  priority?: (input: never) => unknown;
  singleton?: { key?: KeyFn; mode: "skip" | "cancel-running" };
  batch?: { maxSize: number; maxWaitMs: number; key?: KeyFn };
}

const specs = new WeakMap<object, FlowSpec>();

/** Records the resolved flow control of a definition (defineWorkflow calls it). */
export function setFlowSpec(definition: WorkflowDefinition, spec: FlowSpec | undefined): void {
  if (spec) specs.set(definition, spec);
}

/** The resolved flow control of a definition, or undefined when it has none. */
export function flowSpecOf(definition: WorkflowDefinition): FlowSpec | undefined {
  return specs.get(definition);
}
