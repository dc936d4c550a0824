// cairn workflows list | run <slug> | pause <slug> | resume <slug> | runs list <slug>
import type { Command } from "commander";
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import { commandContext, FailedOutcome, type GlobalOptions } from "../context.ts";
import { between, examples, status, table } from "../format.ts";
import { parseJsonArgument, wholeNumber } from "../input.ts";
import { followRun } from "../progress.ts";
import { printRunList } from "./runs.ts";

export function registerWorkflows(program: Command, globals: () => GlobalOptions): void {
  const workflows = program
    .command("workflows")
    .description("list workflows, start runs, pause and resume")
    .addHelpText(
      "after",
      examples("cairn workflows list", 'cairn workflows pause place-order --reason "provider down"'),
    );

  workflows
    .command("list")
    .description("list the workflows the runtime serves, and which are paused")
    .addHelpText("after", "\nExamples:\n  $ cairn workflows list\n  $ cairn workflows list --json")
    .action(async () => {
      const ctx = commandContext(globals());
      const list = await ctx.client.workflows.list();
      if (ctx.json) return ctx.out(JSON.stringify(list, null, 2));
      ctx.out(
        table(
          ["SLUG", "NAME", "STATE", "DESCRIPTION"],
          list.map((w) => [w.slug, w.name, w.paused ? status("paused") : "", w.description ?? ""]),
        ),
      );
    });

  workflows
    .command("pause <slug>")
    .description("pause a workflow: new runs are accepted and wait as queued until it resumes")
    .option("--reason <text>", "why; recorded with the pause")
    .addHelpText("after", '\nExamples:\n  $ cairn workflows pause place-order --reason "payment provider down"')
    .action(async (slug: string, options: { reason?: string }) => {
      const ctx = commandContext(globals());
      const paused = await ctx.client.workflows.pause(slug, { reason: options.reason });
      if (ctx.json) return ctx.out(JSON.stringify(paused, null, 2));
      ctx.out(`${slug} ${status("paused")} at ${paused.pausedAt}${paused.reason ? ` (${paused.reason})` : ""}`);
    });

  workflows
    .command("resume <slug>")
    .description("resume a paused workflow: the runs queued meanwhile start in the order they came")
    .option("--reason <text>", "why; recorded with the resume")
    .addHelpText("after", '\nExamples:\n  $ cairn workflows resume place-order --reason "provider back"')
    .action(async (slug: string, options: { reason?: string }) => {
      const ctx = commandContext(globals());
      const resumed = await ctx.client.workflows.resume(slug, { reason: options.reason });
      if (ctx.json) return ctx.out(JSON.stringify(resumed, null, 2));
      ctx.out(`${slug} resumed; ${resumed.released} queued run${resumed.released === 1 ? "" : "s"} released`);
    });

  workflows
    .command("run <slug>")
    .description("start a run")
    .option("-i, --input <json>", "input as JSON, or @file.json")
    .option("-w, --wait", "wait for the run to finish and show its steps")
    .option("--idempotency-key <key>", "start at most one run for this key")
    .addHelpText(
      "after",
      `\nExamples:\n  $ cairn workflows run greeting --input '{"name":"Ada"}' --wait\n  $ cairn workflows run signup-pipeline --input @signup.json --idempotency-key signup-42`,
    )
    .action(async (slug: string, options: { input?: string; wait?: boolean; idempotencyKey?: string }) => {
      const ctx = commandContext(globals());
      const input = parseJsonArgument(options.input, "--input");
      const started = await ctx.client.workflows.run(slug, input, { idempotencyKey: options.idempotencyKey });
      if (!options.wait) {
        if (ctx.json) return ctx.out(JSON.stringify(started, null, 2));
        return ctx.out(`started ${started.runId} (${status(started.status)})`);
      }
      const run = ctx.json
        ? await waitForEnd(ctx, started.runId)
        : await followRun(ctx.client, started.runId, (line) => ctx.out(line));
      if (ctx.json) ctx.out(JSON.stringify(run, null, 2));
      else if (run.status === "success") ctx.out(JSON.stringify(run.output, null, 2));
      else ctx.out(`${status(run.status)} after ${between(run.createdAt, run.finishedAt)}`);
      if (run.status !== "success") throw new FailedOutcome(`run ${run.runId} ended ${run.status}`);
    });

  workflows
    .command("runs")
    .description("a workflow's run history")
    .addHelpText("after", examples("cairn workflows runs list greeting"))
    .command("list <slug>")
    .description("a workflow's runs, newest first")
    .option("-s, --status <status>", "only runs with this status")
    .option("-l, --limit <n>", "how many", "20")
    .addHelpText("after", "\nExamples:\n  $ cairn workflows runs list greeting --status failed")
    .action(async (slug: string, options: { status?: string; limit: string }) => {
      const ctx = commandContext(globals());
      const page = await ctx.client.runs.list({
        workflow: slug,
        status: options.status as never,
        limit: wholeNumber(options.limit, "--limit", 1),
      });
      printRunList(ctx, page);
    });
}

async function waitForEnd(ctx: ReturnType<typeof commandContext>, runId: string) {
  for (;;) {
    const run = await ctx.client.runs.get(runId, { wait: 30 });
    if (isFinishedStatus(run.status)) return run;
  }
}
