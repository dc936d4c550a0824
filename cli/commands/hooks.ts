// cairn hooks resume <token|url> [--data json]
import type { Command } from "commander";
import { commandContext, type GlobalOptions } from "../context.ts";
import { examples } from "../format.ts";
import { parseJsonArgument } from "../input.ts";

export function registerHooks(program: Command, globals: () => GlobalOptions): void {
  program
    .command("hooks")
    .description("resume waiting hooks")
    .addHelpText("after", examples(`cairn hooks resume <resumeUrl> --data '{"approved":true}'`))
    .command("resume <tokenOrUrl>")
    .description("resume a hook by its token or resume URL, with a payload")
    .option("-d, --data <json>", "the payload as JSON, or @file.json", "{}")
    .addHelpText(
      "after",
      examples(
        `cairn hooks resume http://127.0.0.1:8787/hooks/hk_… --data '{"approved":true}'`,
        "cairn hooks resume hk_… --data @decision.json",
      ),
    )
    .action(async (tokenOrUrl: string, options: { data: string }) => {
      const ctx = commandContext(globals());
      const result = await ctx.client.hooks.resume(tokenOrUrl, parseJsonArgument(options.data, "--data"));
      ctx.out(ctx.json ? JSON.stringify(result, null, 2) : `resumed; run ${result.runId} continues`);
    });
}
