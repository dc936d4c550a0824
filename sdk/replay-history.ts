// replayHistory (`cairn-workflows/testing`): the replay gate as a library call, so a test suite
// can pin real run histories and fail when an edit would break them (decision 0019).
import { type ReplayCheckResult, checkReplay } from "./engine/replay-check.ts";
import { parseRunExport, type RunExport } from "./run-export.ts";
import { graphSteps, type WorkflowGraph } from "./workflow-graph.ts";
import type { WorkflowDefinition } from "./workflow-types.ts";

/** `{ ok: true }`, or `{ ok: false, reason }` naming the step, call site, recorded and current call, and the diff. */
export type ReplayVerdict = ReplayCheckResult;

export interface ReplayHistoryOptions {
  /**
   * The call-site ids of the code under test, as `cairn generate` found them: a recorded step
   * whose site is gone is then matched to an edited call. Or pass `graph` (cairn.gen.ts `graphs`).
   */
  callSites?: ReadonlySet<string>;
  graph?: WorkflowGraph;
}

/** The history names another workflow than the one given to replay it. */
export class HistoryWorkflowMismatchError extends Error {
  readonly code = "history_workflow_mismatch";
  override name = "HistoryWorkflowMismatchError";
}

/**
 * Replays a recorded run (an export from `GET /runs/:id/export`, `cairn.runs.export(id)` or a
 * `cairn replay --file` history) against `workflow` as the code stands now. Nothing executes:
 * recorded steps return their recorded results and the first call that differs is reported.
 * @throws InvalidRunExportError when `history` is not an export; HistoryWorkflowMismatchError
 *   when it is a run of another workflow.
 * @example
 * import { replayHistory } from "cairn-workflows/testing";
 * import history from "./histories/order-o-1.json";
 * import shipOrder from "../src/workflows/ship-order";
 *
 * it("still replays the order recorded in production", async () => {
 *   expect(await replayHistory(shipOrder, history)).toEqual({ ok: true });
 * });
 */
export async function replayHistory(
  workflow: WorkflowDefinition,
  history: RunExport | unknown,
  options: ReplayHistoryOptions = {},
): Promise<ReplayVerdict> {
  const exported = parseRunExport(history);
  if (exported.run.workflow !== workflow.slug)
    throw new HistoryWorkflowMismatchError(
      `the history is a run of "${exported.run.workflow}", not of "${workflow.slug}"`,
    );
  const callSites =
    options.callSites ?? (options.graph ? new Set(graphSteps(options.graph.root).map((step) => step.site)) : undefined);
  return checkReplay(workflow, exported.events, callSites ? { callSites } : {});
}
