// The replay gate: recorded runs (a deployment's exports or a history file) replayed against the
// project's local code, nothing executed; each run's verdict (decision 0019).
import { readFileSync } from "node:fs";
import type { CairnClient } from "../../sdk/client.ts";
import type { Divergence } from "../../sdk/engine/events.ts";
import { parseRunExports, type RunExport } from "../../sdk/run-export.ts";
import { type LocalCode, loadLocalCode } from "./load-local-code.ts";

/** Why a run would not replay: the step that diverges, or a workflow the code no longer has. */
export type GateReason =
  | Divergence
  | { code: "workflow_not_found"; message: string }
  | { code: "replay_error"; message: string };

/** One recorded run and what replaying it against the local code concluded. */
export interface RunVerdict {
  runId: string;
  workflow: string;
  status: string;
  ok: boolean;
  reason?: GateReason;
}

/** What the gate checked: where the runs came from, the code folder, and each run's verdict. */
export interface GateReport {
  source: string;
  dir: string;
  checked: number;
  diverged: number;
  runs: RunVerdict[];
}

/** Reads the exports of a history file: one export, an array, a page or NDJSON. */
export function readHistoryFile(path: string): RunExport[] {
  return parseRunExports(readFileSync(path, "utf8"));
}

/** The deployment's live runs (and `finished` recent finished ones), each once. */
export async function downloadExports(client: CairnClient, finished: number): Promise<RunExport[]> {
  const byId = new Map<string, RunExport>();
  for await (const exported of client.runs.exportAll({ scope: "live", finished })) {
    // A run listed twice (its status changed between pages): the later read is the newer log.
    byId.set(exported.run.runId, exported);
  }
  return [...byId.values()];
}

/** Replays one run against the code; a throw from the check is a failed verdict, never a pass. */
async function verdictOf(code: LocalCode, exported: RunExport): Promise<RunVerdict> {
  const { runId, workflow: slug, status } = exported.run;
  const base = { runId, workflow: slug, status };
  const workflow = code.workflows.get(slug);
  if (!workflow) {
    const message = `workflow "${slug}" is not in the local code: the run would fail as unknown_workflow`;
    return { ...base, ok: false, reason: { code: "workflow_not_found", message } };
  }
  try {
    const verdict = await code.replay(workflow, exported, { callSites: code.callSites });
    return verdict.ok ? { ...base, ok: true } : { ...base, ok: false, reason: verdict.reason };
  } catch (error) {
    return { ...base, ok: false, reason: { code: "replay_error", message: (error as Error).message } };
  }
}

/**
 * Replays `exports` against the code in `dir` (generated and bundled first). No runs, no bundle:
 * a first deploy has nothing to check.
 * @example const report = await replayExports(readHistoryFile("history.ndjson"), "src", "history.ndjson");
 */
export async function replayExports(exports: RunExport[], dir: string, source: string): Promise<GateReport> {
  const runs: RunVerdict[] = [];
  if (exports.length > 0) {
    const code = await loadLocalCode(dir);
    for (const exported of exports) runs.push(await verdictOf(code, exported));
  }
  const diverged = runs.filter((run) => !run.ok).length;
  return { source, dir, checked: runs.length, diverged, runs };
}

/** The report as lines for a terminal: each diverging run with its step, call site and diff. */
export function formatReport(report: GateReport): string[] {
  const lines: string[] = [];
  for (const run of report.runs) {
    if (run.ok || !run.reason) continue;
    const reason = run.reason;
    if (reason.code !== "non_determinism") {
      lines.push(`✗ run ${run.runId} (${run.workflow}, ${run.status}): ${reason.message}`);
      continue;
    }
    const site = reason.site ? ` (call site ${reason.site})` : "";
    lines.push(`✗ run ${run.runId} (${run.workflow}, ${run.status}) would diverge at step ${reason.stepId}${site}`);
    lines.push(`    recorded: ${callText(reason.recorded)}`);
    lines.push(`    current:  ${callText(reason.current)}`);
    for (const line of reason.diff) lines.push(`    ${line}`);
  }
  const verdict =
    report.diverged === 0
      ? `all ${report.checked} replay cleanly`
      : `${report.diverged} of ${report.checked} would diverge`;
  lines.push(
    `replayed ${report.checked} run${report.checked === 1 ? "" : "s"} from ${report.source} against ${report.dir}: ${verdict}`,
  );
  return lines;
}

function callText(call: Divergence["recorded"]): string {
  const input = call.input === undefined ? "" : ` ${JSON.stringify(call.input)}`;
  return `${call.kind} ${call.name}${input}`;
}
