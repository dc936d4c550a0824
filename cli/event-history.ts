// `cairn runs events`: a run's event log as readable lines — time, time since the run started,
// sequence number, type, step id and a short detail of what the event says.
import type { RunEvent } from "../sdk/engine/events.ts";
import { dim, duration, short, table, timestamp } from "./format.ts";

type Loose = Record<string, unknown>;

const error = (e: { name: string; message: string }) => `${e.name}: ${e.message}`;

/** The short detail of one event; unknown event types show their fields as JSON. */
export function eventDetail(event: RunEvent): string {
  const count = "logs" in event ? (event.logs?.length ?? 0) : 0;
  const logs = count ? dim(` · ${count} log line${count === 1 ? "" : "s"}`) : "";
  return describe(event) + logs;
}

function describe(event: RunEvent): string {
  switch (event.type) {
    case "run_started": {
      const source = event.trigger.source ? ` ${event.trigger.source}` : "";
      return `${event.workflow} by ${event.trigger.type}${source}, input ${short(event.input, 60)}`;
    }
    case "step_started":
      return `${event.kind} ${event.name}, attempt ${event.attempt}`;
    case "step_completed":
      return `output ${short(event.output, 60)}`;
    case "step_retrying":
      return `attempt ${event.attempt} failed: ${error(event.error)}; next attempt at ${timestamp(event.retryAt)}`;
    case "step_failed":
      return `attempt ${event.attempt} failed: ${error(event.error)}`;
    case "sleep_started":
      return `until ${timestamp(event.wakeAt)}`;
    case "hook_created":
      return event.timeoutAt === undefined ? "waiting" : `waiting, times out at ${timestamp(event.timeoutAt)}`;
    case "hook_resumed":
      return `payload ${short(event.payload, 60)}`;
    case "run_completed":
      return `output ${short(event.output, 60)}`;
    case "run_failed":
      return error(event.error);
    default:
      return rest(event as unknown as Loose);
  }
}

/** The fields an event carries besides its identity, as short JSON (`{ reason: "…", by: "…" }`). */
function rest(event: Loose): string {
  const { seq: _seq, at: _at, type: _type, stepId: _stepId, logs: _logs, ...fields } = event;
  return Object.keys(fields).length ? short(fields, 100) : "";
}

/** The events as an aligned table; times since the first event (the run's start). */
export function eventTable(events: readonly RunEvent[]): string {
  const start = events[0]?.at;
  return table(
    ["SEQ", "TIME", "+", "TYPE", "STEP", "DETAIL"],
    events.map((event) => [
      String(event.seq),
      timestamp(event.at),
      start === undefined ? "" : dim(`+${duration(event.at - start)}`),
      event.type,
      "stepId" in event ? event.stepId : "",
      eventDetail(event),
    ]),
  );
}
