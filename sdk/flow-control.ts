// Flow-control options of defineWorkflow (concurrency, rateLimit, debounce, priority, singleton,
// batch): their public types, typed from the workflow's input, and their definition-time checks.
import { type Duration, parseDuration } from "./duration.ts";
import type { FlowSpec, KeyFn } from "./engine/flow-spec.ts";
import { UsageError } from "./errors.ts";

/** What a key function returns: runs with equal keys share a limit; other keys never wait on them. */
export type FlowKey = string | number;

/**
 * At most `limit` runs per key execute at once; more wait as `queued`, in order (FIFO within a
 * priority).
 * @example
 * concurrency: { limit: 2, key: (input) => input.userId }
 */
export interface ConcurrencyOptions<In> {
  /** Runs per key executing at once (an integer ≥ 1). */
  limit: number;
  /** The key (no key: one limit for the whole workflow). */
  key?: (input: In) => FlowKey;
  /**
   * Whether a sleeping or hook-waiting run keeps its slot. Default `false`: a slot is held only
   * while the run executes (its passes, including retries), so the limit bounds the calls made
   * downstream and a run waiting days for an approval never blocks its key. `true`: a run holds
   * its slot from admission until it finishes (at most `limit` runs in flight per key).
   */
  holdWhileWaiting?: boolean;
}

/**
 * At most `limit` run starts per `period` per key. The excess is delayed to the next free start
 * time (`mode: "delay"`, the default: a throttle) or finished as `skipped` (`mode: "drop"`).
 * @example
 * rateLimit: { limit: 10, period: "1m", key: (input) => input.accountId }
 */
export interface RateLimitOptions<In> {
  limit: number;
  period: Duration;
  key?: (input: In) => FlowKey;
  mode?: "delay" | "drop";
}

/**
 * A burst of starts for one key becomes one run, started `period` after the last start of the
 * burst with the last input; the others finish as `skipped`. `maxWait` caps how long a burst
 * that keeps going can hold its run back.
 * @example
 * debounce: { period: "30s", key: (input) => input.documentId, maxWait: "5m" }
 */
export interface DebounceOptions<In> {
  period: Duration;
  key?: (input: In) => FlowKey;
  maxWait?: Duration;
}

/**
 * At most one live run per key: a new start is `skipped` while one runs (`mode: "skip"`), or
 * cancels the running one and takes its place (`mode: "cancel-running"`).
 * @example
 * singleton: { key: (input) => input.repo, mode: "skip" }
 */
export interface SingletonOptions<In> {
  key?: (input: In) => FlowKey;
  mode: "skip" | "cancel-running";
}

/**
 * Collects starts (trigger deliveries, typically) and starts one run whose input is the array of
 * their inputs, once `maxSize` are collected or `maxWait` after the first; each collected start
 * finishes as `skipped` (reason `batched`) and links to the batch's run.
 * @example
 * batch: { maxSize: 100, maxWait: "10s", key: (event) => event.tenant }
 */
export interface BatchOptions<Item> {
  maxSize: number;
  maxWait: Duration;
  /** Starts with equal keys share batches (given one start's input: one item). */
  key?: (item: Item) => FlowKey;
}

/** One item of a batch workflow's input (its input schema is `z.array(item)`); never for others. */
export type BatchItem<In> = In extends readonly (infer E)[] ? E : never;

/** Every flow-control option of defineWorkflow, typed from the workflow's (parsed) input. */
export interface FlowControlOptions<In> {
  concurrency?: ConcurrencyOptions<In>;
  rateLimit?: RateLimitOptions<In>;
  debounce?: DebounceOptions<In>;
  /**
   * Among queued runs of a key, higher starts first. Aging: each minute a run waits counts as one
   * point of priority, so a run is never overtaken for ever by later, higher-priority runs.
   * @example
   * priority: (input) => (input.plan === "enterprise" ? 10 : 0)
   */
  priority?: (input: In) => number;
  singleton?: SingletonOptions<In>;
  /** Only for a workflow whose input is an array (`input: z.array(item)`): each start adds one item. */
  batch?: BatchOptions<BatchItem<In>>;
}

function fail(slug: string, message: string): never {
  throw new UsageError(`workflow ${slug}: ${message}`);
}

function positiveInteger(slug: string, what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    fail(slug, `${what} must be an integer of at least 1 (got ${JSON.stringify(value)})`);
  return value;
}

function duration(slug: string, what: string, value: unknown, min = 1): number {
  let delayMs: number;
  try {
    delayMs = parseDuration(value as Duration);
  } catch {
    fail(slug, `${what} is not a duration (got ${JSON.stringify(value)}): use "30s", "5m", "1h" or milliseconds`);
  }
  if (delayMs < min) fail(slug, `${what} must be at least ${min} ms (got ${JSON.stringify(value)})`);
  return delayMs;
}

function keyFn(slug: string, what: string, value: unknown): KeyFn | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") fail(slug, `${what}.key must be a function of the input`);
  return value as KeyFn;
}

function oneOf<T extends string>(slug: string, what: string, value: unknown, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (!allowed.includes(value as T))
    fail(slug, `${what} must be ${allowed.map((a) => JSON.stringify(a)).join(" or ")} (got ${JSON.stringify(value)})`);
  return value as T;
}

/**
 * Checks the flow-control options at definition time and resolves them (durations to ms); throws
 * a UsageError naming the workflow and the option. Undefined when no option is set.
 */
export function resolveFlowControl(
  slug: string,
  options: FlowControlOptions<never>,
  inputIsArray: boolean,
): FlowSpec | undefined {
  const spec: FlowSpec = {};
  const { concurrency, rateLimit, debounce, priority, singleton, batch } = options;
  if (concurrency !== undefined) {
    if (concurrency.holdWhileWaiting !== undefined && typeof concurrency.holdWhileWaiting !== "boolean")
      fail(slug, "concurrency.holdWhileWaiting must be a boolean");
    spec.concurrency = {
      limit: positiveInteger(slug, "concurrency.limit", concurrency.limit),
      key: keyFn(slug, "concurrency", concurrency.key),
      holdWhileWaiting: concurrency.holdWhileWaiting ?? false,
    };
  }
  if (rateLimit !== undefined)
    spec.rateLimit = {
      limit: positiveInteger(slug, "rateLimit.limit", rateLimit.limit),
      periodMs: duration(slug, "rateLimit.period", rateLimit.period),
      key: keyFn(slug, "rateLimit", rateLimit.key),
      mode: oneOf(slug, "rateLimit.mode", rateLimit.mode, ["delay", "drop"] as const, "delay"),
    };
  if (debounce !== undefined) {
    const periodMs = duration(slug, "debounce.period", debounce.period);
    const maxWaitMs = debounce.maxWait === undefined ? undefined : duration(slug, "debounce.maxWait", debounce.maxWait);
    if (maxWaitMs !== undefined && maxWaitMs < periodMs)
      fail(slug, "debounce.maxWait must be at least debounce.period");
    spec.debounce = { periodMs, key: keyFn(slug, "debounce", debounce.key), maxWaitMs };
  }
  if (priority !== undefined) {
    if (typeof priority !== "function") fail(slug, "priority must be a function of the input returning a number");
    spec.priority = priority;
  }
  if (singleton !== undefined)
    spec.singleton = {
      key: keyFn(slug, "singleton", singleton.key),
      mode: oneOf(slug, "singleton.mode", singleton.mode, ["skip", "cancel-running"] as const),
    };
  if (batch !== undefined) {
    // A debounced start keeps only the last input and a batch keeps them all: together they contradict.
    if (debounce !== undefined) fail(slug, "batch and debounce cannot be combined (a batch keeps every input)");
    if (!inputIsArray) fail(slug, "batch needs an array input (input: z.array(item)): the run receives the items");
    spec.batch = {
      maxSize: positiveInteger(slug, "batch.maxSize", batch.maxSize),
      maxWaitMs: duration(slug, "batch.maxWait", batch.maxWait),
      key: keyFn(slug, "batch", batch.key),
    };
  }
  if (priority !== undefined && concurrency === undefined)
    fail(slug, "priority orders the runs a concurrency limit queues: set concurrency too");
  return Object.keys(spec).length ? spec : undefined;
}
