// cairn workflows list | run <slug> | runs list <slug>
import type { Command } from "commander";
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import { commandContext, FailedOutcome, type GlobalOptions } from "../context.ts";
import { between, status, table } from "../format.ts";
import { parseJsonArgument } from "../input.ts";
import { followRun } from "../progress.ts";
import { printRunList } from "./runs.ts";

export function registerWorkflows(program: Command, globals: () => GlobalOptions): void {
  const workflows = program.command("workflows").description("list workflows and start runs");

  workflows
    .command("list")
    .description("list the workflows the runtime serves")
    .action(async () => {
      const ctx = commandContext(globals());
      const list = await ctx.client.workflows.list();
      if (ctx.json) return ctx.out(JSON.stringify(list, null, 2));
      ctx.out(
        table(
          ["SLUG", "NAME", "DESCRIPTION"],
          list.map((w) => [w.slug, w.name, w.description ?? ""]),
        ),
      );
    });

  workflows
    .command("run <slug>")
    .description("start a run")
    .option("-i, --input <json>", "input as JSON, or @file.json")
    .option("-w, --wait", "wait for the run to finish and show its steps")
    .option("--idempotency-key <key>", "start at most one run for this key")
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
    .command("list <slug>")
    .option("-s, --status <status>", "only runs with this status")
    .option("-l, --limit <n>", "how many", "20")
    .action(async (slug: string, options: { status?: string; limit: string }) => {
      const ctx = commandContext(globals());
      const page = await ctx.client.runs.list({
        workflow: slug,
        status: options.status as never,
        limit: Number(options.limit),
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
