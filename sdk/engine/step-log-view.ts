// Step and run logs as the run record shows them: every attempt's lines under its step, and the
// workflow body's `ctx.log` lines under the run, times as ISO strings.
import type { LogLevel, RunEvent } from "./events.ts";

/** One line as the run record shows it on its step. */
export interface StepLogView {
  attempt: number;
  level: LogLevel;
  at: string;
  message: string;
}

/** One workflow-body `ctx.log` line as the run record shows it. */
export interface RunLogView {
  id: string;
  level: LogLevel;
  at: string;
  message: string;
}

/** The lines of every step that logged, by step id, oldest attempt first. */
export function logsByStep(events: readonly RunEvent[]): Map<string, StepLogView[]> {
  const byStep = new Map<string, StepLogView[]>();
  const attempts = new Map<string, number>();
  for (const event of events) {
    if (event.type === "step_started") attempts.set(event.stepId, event.attempt);
    if (event.type !== "step_completed" && event.type !== "step_retrying" && event.type !== "step_failed") continue;
    if (!event.logs?.length) continue;
    const attempt = "attempt" in event ? event.attempt : (attempts.get(event.stepId) ?? 1);
    const lines = byStep.get(event.stepId) ?? [];
    for (const line of event.logs)
      lines.push({ attempt, level: line.level, at: new Date(line.at).toISOString(), message: line.message });
    byStep.set(event.stepId, lines);
  }
  return byStep;
}

/** The workflow body's `ctx.log` lines, in the order they were recorded. */
export function runLogs(events: readonly RunEvent[]): RunLogView[] {
  return events.flatMap((event) =>
    event.type === "run_logged"
      ? [{ id: event.logId, level: event.level, at: new Date(event.at).toISOString(), message: event.message }]
      : [],
  );
}
