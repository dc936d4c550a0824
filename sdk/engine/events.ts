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
});
export type TriggerInfo = z.infer<typeof TriggerSchema>;

export const StepKindSchema = z.enum(["action", "workflow", "llm", "agent"]);
export type StepKind = z.infer<typeof StepKindSchema>;

const base = { seq: z.number().int(), at: z.number() };
const step = { ...base, stepId: z.string() };

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
  }),
  z.object({
    ...step,
    type: z.literal("step_started"),
    kind: StepKindSchema,
    name: z.string(),
    attempt: z.number().int(),
    inputHash: z.string(),
    policy: RetryPolicySchema.optional(),
  }),
  z.object({
    ...step,
    type: z.literal("step_completed"),
    output: z.unknown().optional(),
    /** The output holds tagged values (value-codec.ts); absent for plain JSON, which replay takes as is. */
    encoded: z.literal(true).optional(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).optional(),
  }),
  z.object({
    ...step,
    type: z.literal("step_retrying"),
    attempt: z.number().int(),
    error: SerializedErrorSchema,
    retryAt: z.number(),
  }),
  z.object({
    ...step,
    type: z.literal("step_failed"),
    attempt: z.number().int(),
    error: SerializedErrorSchema,
  }),
  z.object({ ...step, type: z.literal("sleep_started"), wakeAt: z.number() }),
  z.object({ ...step, type: z.literal("sleep_completed") }),
  z.object({
    ...step,
    type: z.literal("hook_created"),
    token: z.string(),
    timeoutAt: z.number().optional(),
    schema: z.unknown().optional(),
    /** `ctx.hook({ resumeOnGet: true })`: a GET of the resume URL resumes without a confirmation. */
    resumeOnGet: z.literal(true).optional(),
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
  z.object({ ...base, type: z.literal("run_canceled"), reason: z.string().optional() }),
  /** The watchdog found the run stalled (live, nothing armed to wake it) and re-drove it. */
  z.object({ ...base, type: z.literal("run_stall_detected"), detail: z.string() }),
  /**
   * An audit record after the terminal event of a finished run: run `by` retries it. The only
   * event a finished run's log takes; it changes neither the status nor the outcome.
   */
  z.object({ ...base, type: z.literal("run_retried"), by: z.string(), reason: z.string().optional() }),
]);

export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent["type"];
/** An event before the log gives it a `seq` and `at`. */
export type NewRunEvent = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, "seq" | "at"> : never) : never;
export type EventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
