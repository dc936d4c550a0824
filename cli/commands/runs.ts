// cairn runs get | list | events | cancel | retry | rerun | watch
import type { Command } from "commander";
import type { RunSummary } from "../../sdk/client.ts";
import { type CommandContext, commandContext, FailedOutcome, type GlobalOptions, UsageProblem } from "../context.ts";
import { eventTable } from "../event-history.ts";
import { between, dim, examples, status, table } from "../format.ts";
import { parseJsonArgument, wholeNumber } from "../input.ts";
import { followRun } from "../progress.ts";
import { printRunLogs } from "../run-logs.ts";
import { registerRunsBulk } from "./runs-bulk.ts";

export function printRunList(
  ctx: CommandContext,
  page: { runs: RunSummary[]; counts: Record<string, number>; next?: string },
): void {
  if (ctx.json) {
    ctx.out(JSON.stringify(page, null, 2));
    return;
  }
  ctx.out(
    table(
      ["RUN", "WORKFLOW", "STATUS", "TRIGGER", "STARTED", "DURATION"],
      page.runs.map((r) => [
        r.runId,
        r.workflow,
        status(r.status),
        r.trigger.type,
        r.createdAt,
        between(r.createdAt, r.finishedAt),
      ]),
    ),
  );
  if (page.next) ctx.out(dim(`more: --cursor ${page.next}`));
}

export function registerRuns(program: Command, globals: () => GlobalOptions): void {
  const runs = program
    .command("runs")
    .description("inspect, follow, cancel, retry and rerun runs")
    .addHelpText("after", examples("cairn runs list --status failed", "cairn runs events run_0123…"));
  registerRunsBulk(runs, globals);

  runs
    .command("get <runId>")
    .description("show a run")
    .option("-f, --field <name>", "print only this field (output, error, status, input...)")
    .option("--include <parts>", "also show: steps, events, logs (comma-separated)")
    .addHelpText(
      "after",
      "\nExamples:\n  $ cairn runs get run_0123…\n  $ cairn runs get run_0123… --field output\n  $ cairn runs get run_0123… --include steps,events",
    )
    .action(async (runId: string, options: { field?: string; include?: string }) => {
      const ctx = commandContext(globals());
      const include = new Set((options.include ?? "").split(",").filter(Boolean));
      // Steps come in pages: follow them only when the steps are shown.
      const run = await ctx.client.runs.get(runId, { allSteps: include.has("steps") || options.field === "steps" });
      if (options.field) {
        if (!(options.field in run)) throw new UsageProblem(`a run has no field "${options.field}"`);
        const value = (run as unknown as Record<string, unknown>)[options.field];
        return ctx.out(typeof value === "string" && !ctx.json ? value : JSON.stringify(value, null, 2));
      }
      const events = include.has("events") ? await collect(ctx.client.runs.allEvents(runId)) : undefined;
      if (ctx.json) return ctx.out(JSON.stringify(events ? { ...run, events } : run, null, 2));
      ctx.out(
        `${run.runId}  ${run.workflow}  ${status(run.status)}  ${dim(between(run.createdAt, run.finishedAt ?? run.updatedAt))}`,
      );
      if (run.output !== undefined) ctx.out(`output: ${JSON.stringify(run.output)}`);
      if (run.error) ctx.out(`error: ${run.error.name}: ${run.error.message}`);
      for (const hook of run.hooks) ctx.out(`waiting on ${hook.id}: ${hook.resumeUrl ?? ""}`);
      if (include.has("steps") || run.steps.length <= 20) {
        // A step's duration runs from its first attempt's start to its end: every attempt and
        // the backoff between them (startedAt is the first attempt's).
        ctx.out(
          table(
            ["STEP", "STATUS", "ATTEMPTS", "DURATION"],
            run.steps.map((s) => [s.id, status(s.status), String(s.attempts), between(s.startedAt, s.endedAt)]),
          ),
        );
      }
      printRunLogs(ctx, run, include.has("logs"));
      if (events) ctx.out(eventTable(events));
    });

  runs
    .command("list")
    .description("run history across workflows")
    .option("-w, --workflow <slug>")
    .option("-s, --status <status>")
    .option("-t, --trigger <type>", "only runs started by this trigger type (api, cron, webhook, poll, retry...)")
    .option("-l, --limit <n>", "how many", "20")
    .option("--cursor <cursor>")
    .addHelpText(
      "after",
      "\nExamples:\n  $ cairn runs list --status failed\n  $ cairn runs list --workflow greeting --trigger cron --limit 5",
    )
    .action(
      async (options: { workflow?: string; status?: string; trigger?: string; limit: string; cursor?: string }) => {
        const ctx = commandContext(globals());
        printRunList(
          ctx,
          await ctx.client.runs.list({
            ...options,
            status: options.status as never,
            limit: wholeNumber(options.limit, "--limit", 1),
          }),
        );
      },
    );

  runs
    .command("events <runId>")
    .description("the run's event history, one line per event (every page of it)")
    .option("--after <seq>", "start after this sequence number", "0")
    .addHelpText(
      "after",
      "\nExamples:\n  $ cairn runs events run_0123…\n  $ cairn runs events run_0123… --json > history.json\n  $ cairn runs events run_0123… --after 40",
    )
    .action(async (runId: string, options: { after: string }) => {
      const ctx = commandContext(globals());
      const after = wholeNumber(options.after, "--after", 0);
      const events = await collect(ctx.client.runs.allEvents(runId, { after }));
      ctx.out(ctx.json ? JSON.stringify(events, null, 2) : eventTable(events));
    });

  runs
    .command("cancel <runId>")
    .description("cancel a live run")
    .option("--reason <text>", "why; kept in the run's log and shown on the run")
    .addHelpText("after", '\nExamples:\n  $ cairn runs cancel run_0123… --reason "duplicate order"')
    .action(async (runId: string, options: { reason?: string }) => {
      const ctx = commandContext(globals());
      const result = await ctx.client.runs.cancel(runId, { reason: options.reason });
      ctx.out(ctx.json ? JSON.stringify(result, null, 2) : `${runId} ${status(result.status)}`);
    });

  runs
    .command("retry <runId>")
    .description(
      "retry a failed or canceled run: a new run replays its completed steps and executes from the failed one",
    )
    .option("--from-step <stepId>", "execute this step and everything recorded after it again")
    .option("--reason <text>", "why; kept in the retried run's log")
    .addHelpText(
      "after",
      "\nExamples:\n  $ cairn runs retry run_0123…\n  $ cairn runs retry run_0123… --from-step charge#1 --json",
    )
    .action(async (runId: string, options: { fromStep?: string; reason?: string }) => {
      const ctx = commandContext(globals());
      const started = await ctx.client.runs.retry(runId, { fromStep: options.fromStep, reason: options.reason });
      ctx.out(
        ctx.json ? JSON.stringify(started, null, 2) : `${started.runId} ${status(started.status)} (retry of ${runId})`,
      );
    });

  runs
    .command("rerun <runId>")
    .description("start a fresh run of the same workflow with the run's input, or with --input")
    .option("-i, --input <json>", "the input instead, as JSON or @file.json")
    .addHelpText(
      "after",
      `\nExamples:\n  $ cairn runs rerun run_0123…\n  $ cairn runs rerun run_0123… --input '{"orderId":"o_2"}'`,
    )
    .action(async (runId: string, options: { input?: string }) => {
      const ctx = commandContext(globals());
      const input = options.input === undefined ? undefined : parseJsonArgument(options.input, "--input");
      const started = await ctx.client.runs.rerun(runId, input === undefined ? {} : { input });
      ctx.out(
        ctx.json ? JSON.stringify(started, null, 2) : `${started.runId} ${status(started.status)} (rerun of ${runId})`,
      );
    });

  runs
    .command("watch <runId>")
    .description("follow a run step by step until it finishes")
    .addHelpText("after", "\nExamples:\n  $ cairn runs watch run_0123…\n  $ cairn runs watch run_0123… --json")
    .action(async (runId: string) => {
      const ctx = commandContext(globals());
      const print = ctx.json ? () => {} : (line: string) => ctx.out(line);
      const run = await followRun(ctx.client, runId, print);
      if (ctx.json) ctx.out(JSON.stringify(run, null, 2));
      if (run.status !== "success") throw new FailedOutcome(`run ${runId} ended ${run.status}`);
    });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
