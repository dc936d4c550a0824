// A run's flow-control keys and priority, from its input and the workflow's key functions. Key
// functions must be pure: a run's keys are computed again when it releases its gates.
import type { FlowSpec, FlowStage, KeyFn } from "../../sdk/engine/flow-spec.ts";
import { FLOW_KEY_MAX_CHARS } from "../limits.ts";

/** A key function threw or returned something that is not a short string or a finite number. */
export class FlowKeyError extends Error {
  readonly code = "flow_key_failed";
  constructor(message: string) {
    super(message);
    this.name = "FlowKeyError";
  }
}

type KeyedStage = Exclude<FlowStage, "paused">;

function keyOf(stage: KeyedStage, fn: KeyFn | undefined, input: unknown): string {
  if (!fn) return "";
  let value: unknown;
  try {
    value = (fn as (input: unknown) => unknown)(input);
  } catch (error) {
    throw new FlowKeyError(
      `the ${stage} key function threw: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.length <= FLOW_KEY_MAX_CHARS) return value;
  throw new FlowKeyError(
    `the ${stage} key function returned ${typeof value === "string" ? `a string over ${FLOW_KEY_MAX_CHARS} characters` : (JSON.stringify(value) ?? String(value))}; return a string or a finite number`,
  );
}

/**
 * The key of every stage the workflow uses, by stage ("" for an option without `key`).
 * @example flowKeys({ concurrency: { limit: 1, key: (i) => i.user, holdWhileWaiting: false } }, { user: "u1" })
 * // { concurrency: "u1" }
 */
export function flowKeys(spec: FlowSpec, input: unknown): Partial<Record<KeyedStage, string>> {
  const keys: Partial<Record<KeyedStage, string>> = {};
  if (spec.singleton) keys.singleton = keyOf("singleton", spec.singleton.key, input);
  if (spec.debounce) keys.debounce = keyOf("debounce", spec.debounce.key, input);
  // A start brings an array of items; its items join the batch of its first item's key.
  if (spec.batch) keys.batch = keyOf("batch", spec.batch.key, Array.isArray(input) ? input[0] : input);
  if (spec.rateLimit) keys.rate_limit = keyOf("rate_limit", spec.rateLimit.key, input);
  if (spec.concurrency) keys.concurrency = keyOf("concurrency", spec.concurrency.key, input);
  return keys;
}

/** The run's priority (0 without a priority function); a throwing one is a key failure too. */
export function flowPriority(spec: FlowSpec, input: unknown): number {
  if (!spec.priority) return 0;
  let value: unknown;
  try {
    value = (spec.priority as (input: unknown) => unknown)(input);
  } catch (error) {
    throw new FlowKeyError(`the priority function threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
