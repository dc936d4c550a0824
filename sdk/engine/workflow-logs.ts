// A workflow body's `ctx.log` lines: each call is recorded once as a `run_logged` event, keyed by
// its scope's call count (`log#<n>`), so the body's replays never record or print it again.
import type { Driver } from "./driver.ts";
import type { LogLevel } from "./events.ts";
import { createLogger, cutLine, logSecrets, MAX_WORKFLOW_LOG_LINES, redact, type StepLogger } from "./step-logs.ts";

/** The log ids each pass's log already holds, built once per driver from its events. */
const recordedIds = new WeakMap<Driver, Set<string>>();

function idsOf(driver: Driver): Set<string> {
  let ids = recordedIds.get(driver);
  if (!ids) {
    ids = new Set();
    for (const event of driver.log.events) if (event.type === "run_logged") ids.add(event.logId);
    recordedIds.set(driver, ids);
  }
  return ids;
}

/**
 * Records one `ctx.log` line of a workflow body under `logId` unless the log has it already (a
 * replay) or the pass only probes the code; true when it was recorded now.
 */
export function recordWorkflowLog(driver: Driver, logId: string, level: LogLevel, message: string): boolean {
  const ids = idsOf(driver);
  if (ids.has(logId) || driver.options.probe || driver.finished) return false;
  ids.add(logId);
  driver.append({ type: "run_logged", logId, level, message: cutLine(redact(message, logSecrets())) });
  return true;
}

/**
 * The `ctx.log` of one workflow body: call `n` of this body is `log#<n>`; past
 * MAX_WORKFLOW_LOG_LINES one closing line says the rest were dropped.
 */
export function workflowLogger(record: ((logId: string, level: LogLevel, message: string) => boolean) | undefined) {
  let n = 0;
  return createLogger((level, message): boolean => {
    const index = n++;
    if (!record) return true; // not in a durable run: printed only
    if (index > MAX_WORKFLOW_LOG_LINES) return false;
    const line = index === MAX_WORKFLOW_LOG_LINES ? `… further ctx.log lines of this workflow dropped` : message;
    return record(`log#${index}`, index === MAX_WORKFLOW_LOG_LINES ? "warn" : level, line);
  }) satisfies StepLogger;
}
