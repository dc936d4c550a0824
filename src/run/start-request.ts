// What starting a run asks of its Durable Object, and what it answers.
import type { NewRunEvent, TriggerInfo } from "../../sdk/engine/events.ts";
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
}

export interface StartResult {
  runId: string;
  status: RunStatus;
  created: boolean;
  /** For a new run: its history entry and version, for the caller to record at once. */
  history?: { summary: RunSummary; version: number };
}
