// The RunEvent union: the event log is the single truth of a run; everything else is derived.
import { z } from "zod";

/** An error as stored in the log: enough to rebuild it with its name, message, code and stack. */
export const SerializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  code: z.string().optional(),
  stack: z.string().optional(),
  details: z.unknown().optional(),
  /** The nearest class replay rebuilds it as, when `name` does not say it (a user subclass). */
  base: z.string().optional(),
});
export type SerializedError = z.infer<typeof SerializedErrorSchema>;

/** The resolved retry policy, frozen in the first `step_started` so later attempts agree. */
export const RetryPolicySchema = z.object({
  maxAttempts: z.number().int().min(1),
  initialDelayMs: z.number().min(0),
  backoffFactor: z.number().min(1),
  maxDelayMs: z.number().min(0),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

export const TriggerSchema = z.object({
  type: z.enum(["api", "cron", "webhook", "poll", "retry", "subscription", "tool"]),
  source: z.string().optional(),
  deliveryId: z.string().optional(),
  /** A `tool` run: the run and step whose agent called the workflow as a tool. */
  parentRunId: z.string().optional(),
  parentStepId: z.string().optional(),
  /** A `retry` run: the failed or canceled run whose log it replays. */
  retryOf: z.string().optional(),
  /** A rerun: the run whose input it started again with. */
  rerunOf: z.string().optional(),
  /** A batch's run (flow control `batch`): the batch it collected. */
  batchId: z.string().optional(),
});
export type TriggerInfo = z.infer<typeof TriggerSchema>;

/** `patch`: a `ctx.patched(id)` decision, recorded once per run like a step (its output the boolean). */
export const StepKindSchema = z.enum(["action", "workflow", "llm", "agent", "patch"]);
export type StepKind = z.infer<typeof StepKindSchema>;

const base = { seq: z.number().int(), at: z.number() };
const step = { ...base, stepId: z.string() };

/** Levels of `ctx.log` and captured `console.*` lines (`console.log` is `info`). */
export const LogLevelSchema = z.enum(["debug", "info", "warn", "error"]);
export type LogLevel = z.infer<typeof LogLevelSchema>;
/** One log line of a step attempt (bounded and redacted, sdk/engine/step-logs.ts). */
export const StepLogLineSchema = z.object({ level: LogLevelSchema, at: z.number(), message: z.string() });
export type StepLogLine = z.infer<typeof StepLogLineSchema>;
/** The lines the attempt logged, on the event that ends it; absent when it logged nothing. */
const logs = z.array(StepLogLineSchema).optional();
/**
 * The call site that made a step and its occurrence there, `<siteId>#<n>` (decision 0016); absent
 * for calls from un-instrumented code and in logs recorded before call-site ids.
 */
const site = z.string().optional();

/** What a replay found different from the recorded call (decision 0018). */
export const DivergenceSchema = z.object({
  code: z.literal("non_determinism"),
  message: z.string(),
  stepId: z.string(),
  site: z.string().optional(),
  recorded: z.object({ kind: z.string(), name: z.string(), input: z.unknown().optional(), inputHash: z.string() }),
  current: z.object({ kind: z.string(), name: z.string(), input: z.unknown().optional(), inputHash: z.string() }),
  /** Readable lines, e.g. `input.amount: 10 → 12`. */
  diff: z.array(z.string()),
});
export type Divergence = z.infer<typeof DivergenceSchema>;

/** The code a run started on: the Worker's deployment (version metadata) and the workflow's structure hash. */
export const RunVersionSchema = z.object({ deployment: z.string().optional(), structure: z.string().optional() });
export type RunVersion = z.infer<typeof RunVersionSchema>;

export const RunEventSchema = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal("run_started"),
    workflow: z.string(),
    // Values a step or run may legitimately leave undefined: JSON drops the key, so it is optional.
    input: z.unknown().optional(),
    trigger: TriggerSchema,
    triggeredAt: z.number(),
    subscription: z.object({ id: z.string(), subscriber: z.string() }).optional(),
    version: RunVersionSchema.optional(),
  }),
  z.object({
    ...step,
    type: z.literal("step_started"),
    kind: StepKindSchema,
    name: z.string(),
    attempt: z.number().int(),
    inputHash: z.string(),
    policy: RetryPolicySchema.optional(),
    site,
    /** The attempt runs in the queue consumer, not in the run's object (decision 0023). */
    offloaded: z.literal(true).optional(),
    /** The input itself when its JSON is small (STEP_INPUT_RECORD_BYTES), so a divergence can show a diff. */
    input: z.unknown().optional(),
  }),
  z.object({
    ...step,
    type: z.literal("step_completed"),
    output: z.unknown().optional(),
    /** The output holds tagged values (value-codec.ts); absent for plain JSON, which replay takes as is. */
    encoded: z.literal(true).optional(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).optional(),
    logs,
  }),
  z.object({
    ...step,
    type: z.literal("step_retrying"),
    attempt: z.number().int(),
    error: SerializedErrorSchema,
    retryAt: z.number(),
    logs,
  }),
  z.object({
    ...step,
    type: z.literal("step_failed"),
    attempt: z.number().int(),
    error: SerializedErrorSchema,
    logs,
  }),
  z.object({ ...step, type: z.literal("sleep_started"), wakeAt: z.number(), site }),
  z.object({ ...step, type: z.literal("sleep_completed") }),
  z.object({
    ...step,
    type: z.literal("hook_created"),
    token: z.string(),
    timeoutAt: z.number().optional(),
    schema: z.unknown().optional(),
    /** `ctx.hook({ resumeOnGet: true })`: a GET of the resume URL resumes without a confirmation. */
    resumeOnGet: z.literal(true).optional(),
    site,
  }),
  z.object({ ...step, type: z.literal("hook_resumed"), payload: z.unknown().optional() }),
  z.object({ ...step, type: z.literal("hook_timed_out") }),
  z.object({
    ...base,
    type: z.literal("run_completed"),
    output: z.unknown().optional(),
    encoded: z.literal(true).optional(),
  }),
  z.object({ ...base, type: z.literal("run_failed"), error: SerializedErrorSchema }),
  /** `by`: who canceled it, when known (`bulk:<bulkId>` for a bulk cancel). */
  z.object({ ...base, type: z.literal("run_canceled"), reason: z.string().optional(), by: z.string().optional() }),
  /** The watchdog found the run stalled (live, nothing armed to wake it) and re-drove it. */
  z.object({ ...base, type: z.literal("run_stall_detected"), detail: z.string() }),
  /**
   * An audit record after the terminal event of a finished run: run `by` retries it. The only
   * event a finished run's log takes; it changes neither the status nor the outcome.
   */
  z.object({
    ...base,
    type: z.literal("run_retried"),
    by: z.string(),
    reason: z.string().optional(),
    /** Who asked for the retry, when not a single request (`bulk:<bulkId>`). */
    via: z.string().optional(),
  }),
  /**
   * A `ctx.log` line of a workflow body, recorded once: `logId` (`[<step id>/]log#<n>`) counts the
   * body's log calls, and a replay skips the ids already recorded.
   */
  z.object({ ...base, type: z.literal("run_logged"), logId: z.string(), level: LogLevelSchema, message: z.string() }),
  /**
   * The replay met a call that differs from the recorded one: the run is parked (status `blocked`)
   * with its timers and hooks, until code that replays it cleanly is deployed (decision 0018).
   */
  z.object({ ...base, type: z.literal("run_blocked"), reason: DivergenceSchema }),
  /** A replay of a blocked run went through cleanly: the run goes on. */
  z.object({ ...base, type: z.literal("run_unblocked") }),
  /**
   * Flow control held the run back (status `queued`) for `reason`, since `at`; `until` when it
   * starts by itself then. `passed`: the stages it got through first; `keys`: its keys by stage.
   */
  z.object({
    ...base,
    type: z.literal("run_queued"),
    reason: z.enum(["paused", "debounce", "batch", "rate_limit", "concurrency"]),
    key: z.string().optional(),
    until: z.number().optional(),
    /** Its place among the runs queued for the key when it was queued (1: next). */
    position: z.number().optional(),
    passed: z.array(z.string()).optional(),
    keys: z.record(z.string(), z.string()).optional(),
  }),
  /**
   * A resume released the run, held while its workflow was paused: `position` is its place in the
   * order the held runs were accepted (1: first), which is the order they are woken in.
   */
  z.object({
    ...base,
    type: z.literal("run_released"),
    position: z.number(),
    by: z.string().optional(),
  }),
  /** Flow control let the run through every stage; `keys` are what its slots are released under. */
  z.object({
    ...base,
    type: z.literal("run_admitted"),
    keys: z.record(z.string(), z.string()),
    /** The start time a rate limit reserved for it. */
    reservedAt: z.number().optional(),
  }),
  /**
   * Flow control finished the run without executing it: a singleton already running, a rate limit
   * in drop mode, a later start of a debounce burst, or a batch (`by`: the run that took it over).
   */
  z.object({
    ...base,
    type: z.literal("run_skipped"),
    reason: z.enum(["singleton", "rate_limited", "debounced", "batched"]),
    key: z.string().optional(),
    by: z.string().optional(),
    message: z.string(),
  }),
]);

export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent["type"];
/** An event before the log gives it a `seq` and `at`. */
export type NewRunEvent = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, "seq" | "at"> : never) : never;
export type EventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
