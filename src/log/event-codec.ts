// How a RunEvent is stored in its row: `type`, `step_id` and `attempt` live in their columns,
// so the JSON holds only the rest; a step's name is left out when its id already says it, and
// the retry policy is a 4-number array. About half the bytes per step of plain JSON.
import type { NewRunEvent, RetryPolicy, RunEvent } from "../../sdk/engine/events.ts";

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
  const fields = JSON.parse(row.data) as Record<string, unknown>;
  // Rows written before this encoding carry the whole event.
  if (typeof fields.type === "string") return { ...fields, seq: row.seq, at: row.at } as RunEvent;
  const event: Record<string, unknown> = { type: row.type, seq: row.seq, at: row.at, ...fields };
  if (row.step_id !== null) event.stepId = row.step_id;
  if (row.attempt !== null) event.attempt = row.attempt;
  if (row.type === "step_started") {
    if (event.name === undefined && row.step_id) event.name = nameInId(row.step_id);
    if (Array.isArray(fields.policy)) {
      const [maxAttempts, initialDelayMs, backoffFactor, maxDelayMs] = fields.policy as number[];
      event.policy = { maxAttempts, initialDelayMs, backoffFactor, maxDelayMs };
    }
  }
  return event as RunEvent;
}
