// How `cairn runs get` prints a run's logs: the workflow body's ctx.log lines, then each step's
// lines by attempt (all of them with `--include logs`, else when they are few).
import type { RunRecord } from "../sdk/client.ts";
import type { CommandContext } from "./context.ts";
import { dim } from "./format.ts";

/** Lines shown without `--include logs`; a run with more says how to see them. */
const LOG_LINES_SHOWN = 50;

export function printRunLogs(ctx: CommandContext, run: RunRecord, all: boolean): void {
  const lines = [
    ...(run.logs ?? []).map((l) => `${dim(l.at)} ${l.level.padEnd(5)} ${l.id}  ${l.message}`),
    ...run.steps.flatMap((step) =>
      (step.logs ?? []).map((l) => `${dim(l.at)} ${l.level.padEnd(5)} ${step.id} #${l.attempt}  ${l.message}`),
    ),
  ];
  if (!lines.length) return;
  if (!all && lines.length > LOG_LINES_SHOWN) {
    ctx.out(dim(`${lines.length} log lines: --include logs to show them`));
    return;
  }
  ctx.out("logs:");
  for (const line of lines) ctx.out(`  ${line}`);
}
