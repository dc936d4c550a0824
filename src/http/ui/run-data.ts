// What the run page reads: the run record with its trace, and one pass over the whole event log
// (page by page, never capped) for what only the log holds — how many events there are (the live
// stream resumes after them), each step's call site and recorded input, and a blocked reason.
import type { RunEvent } from "../../../sdk/engine/events.ts";
import type { Env } from "../../env.ts";
import { isRunId } from "../../run/ids.ts";
import type { RunView } from "../../run/run-view.ts";
import { runStub } from "../../run/start-run.ts";
import type { Span } from "../../run/trace.ts";

/** Events read per call while paging through a run's log. */
const EVENTS_PAGE = 1_000;

export interface BlockedReason {
  code?: string;
  message?: string;
  stepId?: string;
  site?: string;
  diff?: string[];
}

export interface RunPageData {
  run: RunView & { trace?: Span[]; queue?: { reason: string; key?: string; since?: string | number } };
  /** Events in the log when it was read: the live stream continues after them. */
  eventCount: number;
  /** Step id → recorded call site (`<siteId>#<n>`), for steps recorded with one. */
  siteOf: Record<string, string>;
  /** Step id → the input its first attempt recorded (small inputs only). */
  inputOf: Record<string, unknown>;
  blocked?: BlockedReason;
}

/** Reads a run for the dashboard, or undefined when there is no such run. */
export async function loadRun(env: Env, runId: string): Promise<RunPageData | undefined> {
  if (!isRunId(runId)) return undefined;
  const stub = runStub(env, runId);
  const siteOf: Record<string, string> = {};
  const inputOf: Record<string, unknown> = {};
  let blocked: BlockedReason | undefined;
  let after = 0;
  // The log first, the record second: the record then reflects at least every event counted, so
  // the live stream (from `after`) can only repeat a change, never miss one.
  for (;;) {
    const page = (await stub.events(after, EVENTS_PAGE)) as {
      ok: boolean;
      value?: { events: RunEvent[]; next?: number };
    };
    if (!page.ok || !page.value) return undefined;
    for (const event of page.value.events) {
      const extra = event as RunEvent & { site?: string; input?: unknown; reason?: unknown };
      if (event.type === "step_started") {
        if (typeof extra.site === "string") siteOf[event.stepId] = extra.site;
        if ("input" in extra && !(event.stepId in inputOf)) inputOf[event.stepId] = extra.input;
      }
      const type: string = event.type;
      if (type === "run_blocked") blocked = (extra.reason ?? {}) as BlockedReason;
      if (type === "run_unblocked") blocked = undefined;
    }
    after += page.value.events.length;
    if (page.value.next === undefined || page.value.events.length === 0) break;
  }
  const got = (await stub.get({ showTokens: true, includeTrace: true })) as {
    ok: boolean;
    value?: RunPageData["run"];
  };
  if (!got.ok || !got.value) return undefined;
  return { run: got.value, eventCount: after, siteOf, inputOf, ...(blocked ? { blocked } : {}) };
}
