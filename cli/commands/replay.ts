// cairn replay: the replay gate. Downloads a deployment's live runs (or reads a history file) and
// replays each against the local code; exit 1 when any would diverge, 2 on usage errors.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { createClient } from "../../sdk/client.ts";
import { InvalidRunExportError, type RunExport } from "../../sdk/run-export.ts";
import { checkRuntimeUrl, FailedOutcome, type GlobalOptions, UsageProblem } from "../context.ts";
import { LocalCodeError, sourceDir } from "../project/load-local-code.ts";
import {
  downloadExports,
  formatReport,
  type GateReport,
  readHistoryFile,
  replayExports,
} from "../project/replay-gate.ts";

interface ReplayOptions {
  file?: string;
  finished?: string;
  dir?: string;
}

/** What one gate run needs: a deployment (url, key) or a history file, and the code folder. */
export interface GateInput {
  url?: string;
  /** Where the URL came from, for the usage error (`--url`, `CAIRN_URL`, `PUBLIC_URL`). */
  urlFrom?: string;
  apiKey?: string;
  file?: string;
  finished?: number;
  dir?: string;
  cwd: string;
}

/** The deployment's URL, checked as every command checks `--url` (a usage error, exit 2), without a trailing slash. */
export function deploymentUrl(raw: string, from = "--url"): string {
  return checkRuntimeUrl(raw, from).replace(/\/$/, "");
}

/** `--finished <n>`: a whole number of recent finished runs to sample. */
function finishedCount(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new UsageProblem("--finished must be a whole number");
  return n;
}

/**
 * Runs the gate: loads the recorded runs, then replays them against the local code.
 * @throws UsageProblem for a missing or unreadable history file, FailedOutcome when the code does not load.
 */
export async function runReplayGate(input: GateInput): Promise<GateReport> {
  const dir = sourceDir(input.cwd, input.dir);
  let exports: RunExport[];
  let source: string;
  if (input.file) {
    const path = resolve(input.cwd, input.file);
    if (!existsSync(path)) throw new UsageProblem(`no history file ${input.file}`);
    try {
      exports = readHistoryFile(path);
    } catch (error) {
      if (error instanceof InvalidRunExportError) throw new UsageProblem(`${input.file}: ${error.message}`);
      throw error;
    }
    source = input.file;
  } else {
    const url = deploymentUrl(input.url ?? "", input.urlFrom);
    exports = await downloadExports(createClient({ url, apiKey: input.apiKey }), input.finished ?? 0);
    source = url;
  }
  try {
    return await replayExports(exports, dir, source);
  } catch (error) {
    if (error instanceof LocalCodeError) throw new FailedOutcome(error.message);
    throw error;
  }
}

/** Prints the report (human lines, or JSON with `--json`) and fails the command when a run diverges. */
export function reportGate(report: GateReport, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else for (const line of formatReport(report)) process.stdout.write(`${line}\n`);
  if (report.diverged > 0)
    throw new FailedOutcome(
      `${report.diverged} recorded run${report.diverged === 1 ? "" : "s"} would diverge on this code`,
    );
}

/** Registers `cairn replay`. */
export function registerReplay(program: Command, globals: () => GlobalOptions): void {
  program
    .command("replay")
    .description(
      "replay a deployment's live runs (--url) or a history file (--file) against the local code, executing nothing; exit 1 when any would diverge",
    )
    .option("--file <path>", "a history: one export (GET /runs/:id/export), an array of them, or NDJSON")
    .option("--finished <n>", "with --url: also replay the n most recent finished runs")
    .option("--dir <srcDir>", "the folder with workflows/ (default: the wrangler config's main folder)")
    .addHelpText(
      "after",
      [
        "",
        "Uses the global --url, --api-key (or CAIRN_URL, CAIRN_API_KEY) and --json.",
        "",
        "Examples:",
        "  $ npx cairn replay --url https://shop.example.workers.dev --api-key $CAIRN_API_KEY",
        "  $ npx cairn replay --url https://shop.example.workers.dev --finished 50 --json",
        "  $ npx cairn replay --file test/histories/orders.ndjson",
      ].join("\n"),
    )
    .action(async (options: ReplayOptions) => {
      const { url, apiKey, json } = globals();
      const deployment = url ?? process.env.CAIRN_URL;
      if (options.file && url) throw new UsageProblem("pass --url or --file, not both");
      if (!options.file && !deployment)
        throw new UsageProblem("pass --url <deployment> (or CAIRN_URL) or --file <history>");
      if (options.file && options.finished !== undefined)
        throw new UsageProblem("--finished applies to --url (a history file replays what it holds)");
      const report = await runReplayGate({
        ...(options.file ? { file: options.file } : { url: deployment, urlFrom: url ? "--url" : "CAIRN_URL" }),
        apiKey: apiKey ?? process.env.CAIRN_API_KEY,
        finished: finishedCount(options.finished),
        dir: options.dir,
        cwd: process.cwd(),
      });
      reportGate(report, Boolean(json));
    });
}
