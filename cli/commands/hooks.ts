// cairn hooks resume <token|url> [--data json]
import type { Command } from "commander";
import { commandContext, type GlobalOptions } from "../context.ts";
import { parseJsonArgument } from "../input.ts";

export function registerHooks(program: Command, globals: () => GlobalOptions): void {
  program
    .command("hooks")
    .description("resume waiting hooks")
    .command("resume <tokenOrUrl>")
    .option("-d, --data <json>", "the payload as JSON, or @file.json", "{}")
    .action(async (tokenOrUrl: string, options: { data: string }) => {
      const ctx = commandContext(globals());
      const result = await ctx.client.hooks.resume(tokenOrUrl, parseJsonArgument(options.data, "--data"));
      ctx.out(ctx.json ? JSON.stringify(result, null, 2) : `resumed; run ${result.runId} continues`);
    });
}
