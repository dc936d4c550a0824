// What starting a run asks of its Durable Object, and what it answers.
import type { NewRunEvent, RunVersion, TriggerInfo } from "../../sdk/engine/events.ts";
import type { RunStatus } from "../../sdk/engine/run-status.ts";
import type { RunSummary } from "./run-view.ts";

export interface StartRequest {
  runId: string;
  workflow: string;
  input: unknown;
  inputHash: string;
  trigger: TriggerInfo;
  origin?: string;
  idempotencyKey?: string;
  subscription?: { id: string; subscriber: string };
  /** A retry's copied steps (retry-plan.ts), appended right after `run_started`. */
  seed?: NewRunEvent[];
  /** The code the run starts on (run-version.ts). */
  version?: RunVersion;
}

export interface StartResult {
  runId: string;
  status: RunStatus;
  created: boolean;
  /** For a new run: its history entry and version, for the caller to record at once. */
  history?: { summary: RunSummary; version: number };
}

/** The event that opens a run's log, from what started it (one shape for starts and tool runs). */
export function runStartedEvent(
  request: Pick<StartRequest, "workflow" | "input" | "trigger" | "subscription" | "version">,
  now: number,
): NewRunEvent {
  return {
    type: "run_started",
    workflow: request.workflow,
    input: request.input,
    trigger: request.trigger,
    triggeredAt: now,
    ...(request.subscription ? { subscription: request.subscription } : {}),
    ...(request.version ? { version: request.version } : {}),
  };
}
