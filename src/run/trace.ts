// A run's trace, derived purely from its events: one span per step attempt, sleep and hook
// wait, nested by step id (a sub-workflow's or agent's steps sit under it).
import type { RunEvent, SerializedError, StepLogLine } from "../../sdk/engine/events.ts";

export interface Span {
  id: string;
  stepId: string;
  kind: "attempt" | "sleep" | "hook" | "workflow" | "agent";
  name: string;
  attempt?: number;
  start: number;
  end?: number;
  /** `canceled`: the span was still open when the run finished (the run abandoned it). */
  status: "running" | "completed" | "failed" | "retrying" | "waiting" | "timed_out" | "canceled";
  error?: SerializedError;
  model?: string;
  usage?: { inputTokens: number; outputTokens: number };
  /** The lines the attempt logged (ctx.log and console.*). */
  logs?: StepLogLine[];
  /** Step id of the enclosing sub-workflow or agent, if any. */
  parent?: string;
}

const parentOf = (stepId: string) => (stepId.includes("/") ? stepId.slice(0, stepId.lastIndexOf("/")) : undefined);

export function buildTrace(events: readonly RunEvent[]): Span[] {
  const spans: Span[] = [];
  const open = new Map<string, Span>();
  const close = (stepId: string, at: number, status: Span["status"], extra: Partial<Span> = {}) => {
    const span = open.get(stepId);
    if (!span) return;
    Object.assign(span, { end: at, status, ...extra });
    open.delete(stepId);
  };
  const openWait = (stepId: string, kind: "sleep" | "hook", at: number) => {
    const span: Span = { id: stepId, stepId, kind, name: kind, start: at, status: "waiting", parent: parentOf(stepId) };
    spans.push(span);
    open.set(stepId, span);
  };
  for (const event of events) {
    switch (event.type) {
      case "step_started": {
        const kind = event.kind === "workflow" || event.kind === "agent" ? event.kind : "attempt";
        const span: Span = {
          id: `${event.stepId}@${event.attempt}`,
          stepId: event.stepId,
          kind,
          name: event.name,
          attempt: event.attempt,
          start: event.at,
          status: "running",
          parent: parentOf(event.stepId),
        };
        close(event.stepId, event.at, "failed");
        spans.push(span);
        open.set(event.stepId, span);
        break;
      }
      case "step_completed":
        close(event.stepId, event.at, "completed", {
          ...(event.usage ? { usage: event.usage } : {}),
          ...(event.logs ? { logs: event.logs } : {}),
        });
        break;
      case "step_retrying":
        close(event.stepId, event.at, "retrying", { error: event.error, ...(event.logs ? { logs: event.logs } : {}) });
        break;
      case "step_failed":
        close(event.stepId, event.at, "failed", { error: event.error, ...(event.logs ? { logs: event.logs } : {}) });
        break;
      case "sleep_started":
        openWait(event.stepId, "sleep", event.at);
        break;
      case "sleep_completed":
        close(event.stepId, event.at, "completed");
        break;
      case "hook_created":
        openWait(event.stepId, "hook", event.at);
        break;
      case "hook_resumed":
        close(event.stepId, event.at, "completed");
        break;
      case "hook_timed_out":
        close(event.stepId, event.at, "timed_out");
        break;
      // A finished run has no open spans: whatever it left running ends when the run did.
      case "run_completed":
      case "run_canceled":
      case "run_failed":
        for (const stepId of [...open.keys()]) close(stepId, event.at, "canceled");
        break;
      default:
        break;
    }
  }
  return spans;
}

/**
 * The spans of the steps on one page of a run's record (every attempt, sleep or wait of each),
 * so a trace is paged with `?steps_limit=` / `?steps_after=` like the steps themselves.
 * @example pageTrace(buildTrace(events), view.steps)
 */
export function pageTrace(spans: readonly Span[], steps: readonly { id: string }[]): Span[] {
  const onPage = new Set(steps.map((step) => step.id));
  return spans.filter((span) => onPage.has(span.stepId));
}
