// A workflow used as an agent's tool: it runs inline in the agent's step (so it cannot sleep or
// wait on a hook) and is recorded as a run of its own, linked to the run and step that called it.
// The Worker records it in a RunObject (src/agents-runtime/wiring.ts); tests keep it in memory.
import { PassAbort } from "./engine/driver.ts";
import { deserializeError, serializeError } from "./engine/error-codec.ts";
import type { SerializedError } from "./engine/events.ts";
import { createContext } from "./engine/context.ts";
import { ambientScope, type StepScope } from "./engine/scope.ts";
import { workflowBody } from "./engine/workflow-body.ts";
import { ValidationError } from "./errors.ts";
import type { WorkflowContext, WorkflowDefinition } from "./workflow-types.ts";

export type ToolRunOutcome = { status: "completed"; output: unknown } | { status: "failed"; error: SerializedError };

/** A finished tool run, as the agent hands it to the recorder. */
export interface ToolRunRecord {
  workflow: string;
  input: unknown;
  /** The agent whose tool call ran it. */
  agent: string;
  /** The run and step that called it; absent when the agent was prompted outside a run. */
  parent?: { runId: string; stepId: string };
  outcome: ToolRunOutcome;
}

/** Stores finished tool runs: the port the Worker implements with RunObjects. */
export interface ToolRunRecorder {
  /**
   * Stores the run and returns its id and outcome. The id derives from `parent`, so recording
   * the same parent step again (a replay after a crash) returns the first record unchanged.
   */
  record(run: ToolRunRecord): Promise<{ runId: string; outcome: ToolRunOutcome }>;
}

const memoryRuns = new Map<string, ToolRunRecord & { runId: string }>();
const memoryRecorder: ToolRunRecorder = {
  async record(run) {
    const runId = run.parent ? `tool:${run.parent.runId}/${run.parent.stepId}` : `tool:${crypto.randomUUID()}`;
    const existing = memoryRuns.get(runId);
    if (existing) return { runId, outcome: existing.outcome };
    memoryRuns.set(runId, structuredClone({ ...run, runId }));
    return { runId, outcome: run.outcome };
  },
};
let recorder: ToolRunRecorder = memoryRecorder;

/** Installs where tool runs are recorded (`undefined`: back to memory). */
export function setToolRunRecorder(next: ToolRunRecorder | undefined): void {
  recorder = next ?? memoryRecorder;
}

/** The tool runs recorded in memory (plain Node tests), oldest first. */
export function memoryToolRuns(): (ToolRunRecord & { runId: string })[] {
  return structuredClone([...memoryRuns.values()]);
}

async function runBody(tool: WorkflowDefinition, args: unknown, ctx: WorkflowContext): Promise<unknown> {
  const input = tool.input.safeParse(args);
  if (!input.success)
    throw new ValidationError(
      "invalid_input",
      `input of workflow ${tool.slug} does not match its schema`,
      input.error.issues,
    );
  const output = tool.output.safeParse(await workflowBody(tool)(input.data, ctx));
  if (!output.success)
    throw new ValidationError(
      "invalid_output",
      `workflow ${tool.slug} returned output that does not match its schema`,
      output.error.issues,
    );
  return output.data;
}

/** Runs `execute`, records the outcome as a run, and answers with the recorded outcome. */
async function tracked(record: Omit<ToolRunRecord, "outcome">, execute: () => Promise<unknown>): Promise<unknown> {
  let outcome: ToolRunOutcome;
  try {
    outcome = { status: "completed", output: await execute() };
  } catch (error) {
    // The parent's pass ended (its log failed, or the run is broken): the tool run did not end.
    if (error instanceof PassAbort) throw error;
    outcome = { status: "failed", error: serializeError(error) };
  }
  const recorded = await recorder.record({ ...record, outcome });
  if (recorded.outcome.status === "failed") throw deserializeError(recorded.outcome.error);
  return recorded.outcome.output;
}

/**
 * Calls a workflow as `agent`'s tool. Inside a run it is a child step of the agent's scope
 * (its own steps recorded, replayed after a crash) and its run is named by that step.
 */
export function runWorkflowTool(
  tool: WorkflowDefinition,
  args: unknown,
  agent: string,
  scope: StepScope | undefined,
): Promise<unknown> {
  const reason = `it runs as a tool of agent ${agent}`;
  const record = { workflow: tool.slug, input: args, agent };
  if (!scope) return tracked(record, () => ambientScope.run({ type: "inline", reason }, () => tool.run(args as never)));
  return scope.child({
    kind: "workflow",
    name: tool.slug,
    forbidWaits: reason,
    input: args,
    parseOutput: (recorded) => tool.output.parse(recorded),
    run: (child) =>
      tracked({ ...record, parent: { runId: child.runId, stepId: child.stepId ?? tool.slug } }, () =>
        runBody(tool, args, createContext(child)),
      ),
  });
}
