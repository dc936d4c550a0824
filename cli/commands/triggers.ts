// cairn triggers list | invoke | enable | disable | failures
import type { Command } from "commander";
import { commandContext, type GlobalOptions } from "../context.ts";
import { dim, examples, short, status, table } from "../format.ts";
import { parseJsonArgument } from "../input.ts";
import type { TriggerInfo } from "../../sdk/client.ts";

function triggerRows(triggers: TriggerInfo[]): string {
  return table(
    ["SLUG", "KIND", "SCHEDULE/ENDPOINT", "STATE", "STARTS", "LAST FIRED"],
    triggers.map((t) => [
      t.slug,
      t.kind,
      t.endpoint ?? `${t.schedule ?? ""}${t.timezone && t.timezone !== "UTC" ? ` (${t.timezone})` : ""}`,
      status(t.enabled ? "enabled" : "disabled"),
      t.attachments.map((a) => a.workflow ?? a.agent ?? a.id).join(", "),
      t.lastFiredAt ? `${t.lastFiredAt}${t.lastResult ? dim(` ${t.lastResult}`) : ""}` : "",
    ]),
  );
}

export function registerTriggers(program: Command, globals: () => GlobalOptions): void {
  const triggers = program
    .command("triggers")
    .description("list, fire, enable and disable triggers; read their failed deliveries")
    .addHelpText("after", examples("cairn triggers list", "cairn triggers failures signup-webhook"));

  triggers
    .command("list")
    .description("every trigger with its schedule or endpoint, state and last fire")
    .addHelpText("after", examples("cairn triggers list", "cairn triggers list --json"))
    .action(async () => {
      const ctx = commandContext(globals());
      const { triggers: list } = await ctx.client.triggers.list();
      ctx.out(ctx.json ? JSON.stringify(list, null, 2) : triggerRows(list));
    });

  triggers
    .command("invoke <slug>")
    .description("fire a trigger now (a cron source with its payload, a poll source polls)")
    .option("-i, --input <json>", "payload for a webhook source, as JSON or @file.json")
    .addHelpText(
      "after",
      examples(
        "cairn triggers invoke daily-digest-cron",
        `cairn triggers invoke signup-webhook --input '{"email":"a@b.c"}'`,
      ),
    )
    .action(async (slug: string, options: { input?: string }) => {
      const ctx = commandContext(globals());
      const input = options.input ? parseJsonArgument(options.input, "--input") : undefined;
      const fired = await ctx.client.triggers.invoke(slug, input);
      if (ctx.json) return ctx.out(JSON.stringify(fired, null, 2));
      if (fired.skipped) return ctx.out(`${slug}: nothing new, no run started`);
      ctx.out(
        `${slug} started ${fired.runIds?.join(", ") || "no run"}${fired.fannedOut ? ` and ${fired.fannedOut} subscriber runs` : ""}`,
      );
    });

  for (const verb of ["enable", "disable"] as const) {
    triggers
      .command(`${verb} <slug>`)
      .description(verb === "enable" ? "let the trigger start runs again" : "stop the trigger from starting runs")
      .addHelpText("after", examples(`cairn triggers ${verb} daily-digest-cron`))
      .action(async (slug: string) => {
        const ctx = commandContext(globals());
        const trigger = await ctx.client.triggers[verb](slug);
        ctx.out(
          ctx.json ? JSON.stringify(trigger, null, 2) : `${slug} ${status(trigger.enabled ? "enabled" : "disabled")}`,
        );
      });
  }

  triggers
    .command("failures <slug>")
    .description("the trigger's latest deliveries that started no run, and why (newest first)")
    .addHelpText(
      "after",
      examples("cairn triggers failures signup-webhook", "cairn triggers failures inbox-poll --json"),
    )
    .action(async (slug: string) => {
      const ctx = commandContext(globals());
      const { failures } = await ctx.client.triggers.failures(slug);
      if (ctx.json) return ctx.out(JSON.stringify(failures, null, 2));
      if (failures.length === 0) return ctx.out(`${slug}: no failed deliveries`);
      ctx.out(
        table(
          ["AT", "REASON", "DETAIL"],
          failures.map((f) => [f.at, f.reason, short(f.detail, 80)]),
        ),
      );
    });
}
