// cairn runs bulk cancel|retry|rerun|status: act on every run a history filter matches, the
// count first (and a confirmation unless --yes), then the job's progress until it completes.
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import type { BulkRequest, BulkStatus } from "../../sdk/client.ts";
import { type CommandContext, commandContext, FailedOutcome, type GlobalOptions, UsageProblem } from "../context.ts";
import { dim, examples } from "../format.ts";

interface BulkOptions {
  workflow?: string;
  status?: string;
  trigger?: string;
  since?: string;
  until?: string;
  reason?: string;
  dryRun?: boolean;
  yes?: boolean;
  key?: string;
}

/** How often the progress of a started job is read again. */
const PROGRESS_INTERVAL_MS = 500;

const VERBS: Record<BulkRequest["action"], string> = { cancel: "Cancel", retry: "Retry", rerun: "Rerun" };

function filterOf(options: BulkOptions): BulkRequest["filter"] {
  const filter: BulkRequest["filter"] = {};
  if (options.workflow) filter.workflow = options.workflow;
  if (options.status) filter.status = options.status as never;
  if (options.trigger) filter.trigger = options.trigger;
  if (options.since) filter.since = options.since;
  if (options.until) filter.until = options.until;
  return filter;
}

/** Asks on the terminal; a pipe cannot answer, so it must say --yes. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageProblem(`${question} — not a terminal: pass --yes to go ahead`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

function progressLine(job: BulkStatus): string {
  const errors = job.failed ? `, ${job.failed} failed` : "";
  return `${job.bulkId} ${job.status}: ${job.done} done, ${job.skipped} skipped${errors} of ${job.count}`;
}

/** Reads the job's progress until it completes, printing each change on a terminal. */
async function follow(ctx: CommandContext, bulkId: string): Promise<BulkStatus> {
  let last = "";
  for (;;) {
    const job = await ctx.client.runs.bulkStatus(bulkId);
    const line = progressLine(job);
    if (!ctx.json && line !== last) ctx.out(dim(line));
    last = line;
    if (job.status === "completed") return job;
    await new Promise((resolve) => setTimeout(resolve, PROGRESS_INTERVAL_MS));
  }
}

async function runBulk(ctx: CommandContext, action: BulkRequest["action"], options: BulkOptions): Promise<void> {
  const filter = filterOf(options);
  const dry = await ctx.client.runs.bulk({ action, filter, dryRun: true });
  if (options.dryRun) return ctx.out(ctx.json ? JSON.stringify(dry, null, 2) : `${dry.count} runs match`);
  if (dry.count === 0 && !options.key) return ctx.out(ctx.json ? JSON.stringify(dry, null, 2) : "no runs match");
  if (!options.yes && !(await confirm(`${VERBS[action]} ${dry.count} runs?`))) {
    throw new FailedOutcome("not confirmed; nothing was done");
  }
  const started = await ctx.client.runs.bulk({
    action,
    filter,
    ...(options.reason ? { reason: options.reason } : {}),
    ...(options.key ? { idempotencyKey: options.key } : {}),
  });
  if (!started.bulkId) throw new Error("the runtime answered without a bulk id");
  const job = await follow(ctx, started.bulkId);
  if (ctx.json) ctx.out(JSON.stringify(job, null, 2));
  for (const error of job.errors ?? []) ctx.out(`${error.runId}: ${error.message} (${error.code})`);
  if (job.failed) throw new FailedOutcome(`${job.failed} of ${job.count} runs failed`);
}

/** `cairn runs bulk ...` under the `runs` command. */
export function registerRunsBulk(runs: Command, globals: () => GlobalOptions): void {
  const bulk = runs
    .command("bulk")
    .description("cancel, retry or rerun every run a filter matches (the count first, then progress)")
    .addHelpText(
      "after",
      examples(
        "cairn runs bulk retry --workflow checkout --status failed --dry-run",
        'cairn runs bulk cancel --workflow checkout --status sleeping --reason "bad deploy" --yes',
        "cairn runs bulk status blk_01J...",
      ),
    );
  for (const action of ["cancel", "retry", "rerun"] as const) {
    bulk
      .command(action)
      .description(`${action} every run the filter matches`)
      .option("-w, --workflow <slug>", "runs of this workflow")
      .option("-s, --status <status>", "runs with this status")
      .option("--trigger <type>", "runs started by this trigger type (api, cron, webhook, retry...)")
      .option("--since <time>", "runs created at or after this ISO date or epoch ms")
      .option("--until <time>", "runs created before this ISO date or epoch ms")
      .option("--reason <text>", "why; kept in each run's log")
      .option("--dry-run", "only count the runs that match")
      .option("-y, --yes", "do not ask for confirmation")
      .option("--key <key>", "Idempotency-Key: the same key again returns the same job and does nothing twice")
      .addHelpText(
        "after",
        examples(
          `cairn runs bulk ${action} --workflow checkout --status failed --dry-run`,
          `cairn runs bulk ${action} --workflow checkout --status failed --since 2025-01-01 --reason "outage" --yes`,
        ),
      )
      .exitOverride()
      .action((options: BulkOptions) => runBulk(commandContext(globals()), action, options));
  }
  bulk
    .command("status <bulkId>")
    .description("a bulk job's progress")
    .addHelpText("after", examples("cairn runs bulk status blk_01J...", "cairn runs bulk status blk_01J... --json"))
    .exitOverride()
    .action(async (bulkId: string) => {
      const ctx = commandContext(globals());
      const job = await ctx.client.runs.bulkStatus(bulkId);
      ctx.out(ctx.json ? JSON.stringify(job, null, 2) : progressLine(job));
    });
  bulk.exitOverride();
}
