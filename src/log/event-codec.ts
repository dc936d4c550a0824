// How a RunEvent is stored in its row: `type`, `step_id` and `attempt` live in their columns,
// so the JSON holds only the rest; a step's name is left out when its id already says it, and
// the retry policy is a 4-number array. About half the bytes per step of plain JSON.
import { type NewRunEvent, type RetryPolicy, type RunEvent, RunEventSchema } from "../../sdk/engine/events.ts";

export interface EventColumns {
  type: string;
  step_id: string | null;
  attempt: number | null;
  data: string;
}

/** `send-email#3` → `send-email`; `parent#0/lookup#1` → `lookup`. */
function nameInId(stepId: string): string {
  const last = stepId.slice(stepId.lastIndexOf("/") + 1);
  return last.slice(0, last.lastIndexOf("#"));
}

export function encodeEvent(event: NewRunEvent, output?: unknown): EventColumns {
  const { type, ...rest } = event as NewRunEvent & { stepId?: string; attempt?: number };
  const { stepId, attempt, ...fields } = rest as Record<string, unknown> & { stepId?: string; attempt?: number };
  if (type === "step_started" && stepId && fields.name === nameInId(stepId)) delete fields.name;
  if (type === "step_started" && fields.policy) {
    const p = fields.policy as RetryPolicy;
    fields.policy = [p.maxAttempts, p.initialDelayMs, p.backoffFactor, p.maxDelayMs];
  }
  if (output !== undefined) fields.output = output;
  return { type, step_id: stepId ?? null, attempt: attempt ?? null, data: JSON.stringify(fields) };
}

export function decodeEvent(row: EventColumns & { seq: number; at: number }): RunEvent {
  return decodeColumns(row.type, row.step_id, row.attempt, row.seq, row.at, row.data);
}

/**
 * The event of one row, from its columns in order. Loading a 100,000-step run decodes 200,000
 * rows: one JSON.parse and one schema parse per row (about 0.1–0.3 µs), and every event of a
 * type comes out of the schema with its fields in the same order, which keeps replay's property
 * reads fast.
 */
export function decodeColumns(
  type: string,
  stepId: string | null,
  attempt: number | null,
  seq: number,
  at: number,
  data: string,
): RunEvent {
  const event = JSON.parse(data) as Record<string, unknown>;
  // Rows written before this encoding carry the whole event.
  if (typeof event.type !== "string") {
    event.type = type;
    if (stepId !== null) event.stepId = stepId;
    if (attempt !== null) event.attempt = attempt;
    if (type === "step_started") {
      if (event.name === undefined && stepId) event.name = nameInId(stepId);
      const policy = event.policy;
      if (Array.isArray(policy)) {
        event.policy = {
          maxAttempts: policy[0],
          initialDelayMs: policy[1],
          backoffFactor: policy[2],
          maxDelayMs: policy[3],
        };
      }
    }
  }
  event.seq = seq;
  event.at = at;
  // The event schema is the storage contract: a row it does not describe (a bug, a downgrade,
  // a hand edit) stops the load with its position instead of replaying a guess.
  const parsed = RunEventSchema.safeParse(event);
  if (!parsed.success) throw new CorruptEventError(seq, type, parsed.error.issues);
  return parsed.data;
}

/** A stored event the event schema rejects; loading the run's log stops at it. */
export class CorruptEventError extends Error {
  readonly code = "corrupt_event";
  constructor(
    readonly seq: number,
    readonly type: string,
    readonly issues: readonly { path: PropertyKey[]; message: string }[],
  ) {
    const first = issues[0];
    const where = first ? ` at ${first.path.map(String).join(".") || "(root)"}: ${first.message}` : "";
    super(`event ${seq} (${type}) does not match the event schema${where}`);
    this.name = "CorruptEventError";
  }
}
