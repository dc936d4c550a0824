// `cairn-workflows/testing`: run a workflow in plain vitest on the same driver the Durable Object uses.
import { drive, type Wait } from "./engine/driver.ts";
import { deserializeError } from "./engine/error-codec.ts";
import { MemoryEventLog } from "./engine/event-log.ts";
import type { Divergence } from "./engine/events.ts";
import type { WorkflowDefinition, WorkflowInput, WorkflowOutput } from "./workflow-types.ts";

export { MemoryEventLog } from "./engine/event-log.ts";
export { type ReplayHistoryOptions, type ReplayVerdict, replayHistory } from "./replay-history.ts";
export { parseRunExports, type RunExport } from "./run-export.ts";
export type { Divergence, RunEvent } from "./engine/events.ts";

export type SuspendedItem =
  | { kind: "sleep"; stepId: string; wakeAt: number }
  | { kind: "hook"; stepId: string; token: string; resumeUrl: string; timeoutAt?: number }
  | { kind: "retry"; stepId: string; wakeAt: number };

export type ExecuteResult<O> =
  | { status: "completed"; output: O }
  | { status: "failed"; error: Error }
  | { status: "suspended"; items: SuspendedItem[] }
  /** The code no longer makes a call the log recorded: a deployed run would be parked (`blocked`). */
  | { status: "blocked"; reason: Divergence };

export interface ExecuteOptions {
  /** Pass the same id and `eventLog` again to continue a suspended run. */
  runId?: string;
  eventLog?: MemoryEventLog;
  /** Logical now (epoch ms): pass a time past a sleep's `wakeAt` to wake it. */
  now?: number | Date;
  /** Replace steps by name (action/agent slug, or "llm") with test doubles. */
  stubs?: Record<string, (input: unknown) => unknown>;
}

/**
 * Runs one durable pass of a workflow in-process.
 * @example
 * const log = new MemoryEventLog();
 * log.seedStepCompleted("research-signup#0", { score: 3 });
 * const result = await executeWorkflow(signupPipeline, { email: "a@b.c" }, { eventLog: log });
 * expect(result).toEqual({ status: "completed", output: { ... } });
 */
export async function executeWorkflow<W extends WorkflowDefinition>(
  workflow: W,
  input: WorkflowInput<W>,
  options: ExecuteOptions = {},
): Promise<ExecuteResult<WorkflowOutput<W>>> {
  const now = options.now instanceof Date ? options.now.getTime() : options.now;
  const clock = () => Math.max(Date.now(), now ?? 0);
  const log = options.eventLog ?? new MemoryEventLog({ clock });
  const runId = options.runId ?? "test-run";
  if (!log.events.some((e) => e.type === "run_started")) {
    log.append({ type: "run_started", workflow: workflow.slug, input, trigger: { type: "api" }, triggeredAt: clock() });
  }
  const outcome = await drive(workflow, log, {
    runId,
    now,
    stubs: options.stubs,
    newToken: () => `${runId}.${crypto.randomUUID().replaceAll("-", "")}`,
    resumeUrl: (token) => `http://127.0.0.1:8787/hooks/${token}`,
  });
  switch (outcome.status) {
    case "completed":
      // The driver parsed the output with this workflow's output schema before completing.
      return { status: "completed", output: outcome.output as WorkflowOutput<W> };
    case "failed":
      return { status: "failed", error: deserializeError(outcome.error) };
    case "canceled":
      return { status: "failed", error: new Error("run canceled") };
    case "blocked":
      return { status: "blocked", reason: outcome.reason };
    default:
      return { status: "suspended", items: outcome.waits.flatMap(toItem) };
  }
}

function toItem(wait: Wait): SuspendedItem[] {
  // The harness passes no offload port, so it never suspends on an offloaded step.
  if (wait.kind === "yield" || wait.kind === "offload") return [];
  if (wait.kind === "hook") {
    return [
      {
        kind: "hook",
        stepId: wait.stepId,
        token: wait.token,
        resumeUrl: `http://127.0.0.1:8787/hooks/${wait.token}`,
        timeoutAt: wait.timeoutAt,
      },
    ];
  }
  return [wait];
}

/**
 * Records a hook's resume in the log, as `POST /hooks/:token` would; run the workflow again to continue.
 * @example resumeHook(log, approval.token, { approved: true });
 */
export function resumeHook(log: MemoryEventLog, token: string, payload: unknown): void {
  const created = log.events.find((e) => e.type === "hook_created" && e.token === token);
  if (created?.type !== "hook_created") throw new Error(`no hook with token ${token} in this log`);
  if (log.events.some((e) => e.type === "hook_resumed" && e.stepId === created.stepId)) {
    throw new Error(`hook ${created.stepId} was already resumed`);
  }
  log.append({ type: "hook_resumed", stepId: created.stepId, payload });
}
