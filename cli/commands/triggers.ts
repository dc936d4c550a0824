// cairn triggers list | invoke | enable | disable
import type { Command } from "commander";
import { commandContext, type GlobalOptions } from "../context.ts";
import { parseJsonArgument } from "../input.ts";

export function registerTriggers(program: Command, globals: () => GlobalOptions): void {
  const triggers = program.command("triggers").description("list, fire and pause triggers");
  const show = (value: unknown) => JSON.stringify(value, null, 2);
  triggers.command("list").action(async () => {
    const ctx = commandContext(globals());
    ctx.out(show(await ctx.client.triggers.list()));
  });
  triggers
    .command("invoke <slug>")
    .option("-i, --input <json>", "payload for a webhook source")
    .action(async (slug: string, options: { input?: string }) => {
      const ctx = commandContext(globals());
      ctx.out(
        show(
          await ctx.client.triggers.invoke(
            slug,
            options.input ? parseJsonArgument(options.input, "--input") : undefined,
          ),
        ),
      );
    });
  for (const verb of ["enable", "disable"] as const) {
    triggers.command(`${verb} <slug>`).action(async (slug: string) => {
      const ctx = commandContext(globals());
      ctx.out(show(await ctx.client.triggers[verb](slug)));
    });
  }
}
