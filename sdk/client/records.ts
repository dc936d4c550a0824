// What the runtime answers about runs and workflows: the records the client's methods resolve with.
import type { SerializedError } from "../engine/events.ts";
import type { RunStatus } from "../engine/run-status.ts";

export interface StepRecord {
  id: string;
  kind: string;
  name: string;
  status: string;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  output?: unknown;
  error?: SerializedError;
  errors?: { attempt: number; error: SerializedError; at?: string }[];
  retryAt?: string;
  wakeAt?: string;
  usage?: { inputTokens: number; outputTokens: number };
  /** The last attempt ran in the queue consumer, not in the run's object (`offload: true`, decision 0023). */
  offloaded?: true;
  /** What each attempt logged (ctx.log, console.*), bounded and with credentials redacted. */
  logs?: { attempt: number; level: "debug" | "info" | "warn" | "error"; at: string; message: string }[];
}

export interface RunRecord<O = unknown> {
  runId: string;
  workflow: string;
  status: RunStatus;
  input: unknown;
  output?: O;
  error?: SerializedError;
  trigger: { type: string; source?: string };
  /** A retry: the failed or canceled run it replays. */
  retryOf?: string;
  /** The runs that retried this one, oldest first. */
  retriedBy?: string[];
  /** A rerun: the run whose input it started again with. */
  rerunOf?: string;
  /** Why the run was canceled, when the cancel said. */
  cancelReason?: string;
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  finishedAt?: string;
  wakeAt?: string;
  steps: StepRecord[];
  /** More steps follow: pass this as `stepsAfter` (or `?steps_after=`) for the next page. */
  nextStepsCursor?: string;
  hooks: { id: string; createdAt?: string; timeoutAt?: string; token?: string; resumeUrl?: string }[];
  /** The workflow body's `ctx.log` lines (`id`: `log#<n>`), each recorded once. */
  logs?: { id: string; level: "debug" | "info" | "warn" | "error"; at: string; message: string }[];
  /** Who canceled it, when known (`bulk:<bulkId>`). */
  canceledBy?: string;
}

export interface RunSummary {
  runId: string;
  workflow: string;
  status: RunStatus;
  trigger: { type: string; source?: string };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface WorkflowInfo {
  slug: string;
  name: string;
  description: string | null;
  input: unknown;
  output: unknown;
  subscribable: boolean;
  /** Paused: new runs are accepted and wait as `queued` until `workflows.resume`. */
  paused?: boolean;
  /** The hash of the workflow's structure `cairn generate` computed, when it was analysed. */
  version?: string;
}
