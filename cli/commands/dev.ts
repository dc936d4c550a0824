// cairn dev: `wrangler dev` on 127.0.0.1 in the current project, firing its cron triggers every
// minute as Cloudflare would (cli/dev/). `cairn deploy` lives in deploy.ts.
import type { Command } from "commander";
import { runDev } from "../dev/run-dev.ts";
import { LOCAL_CRON_ENV } from "../dev/local-cron.ts";
import { examples } from "../format.ts";

export function registerDev(program: Command): void {
  program
    .command("dev")
    .description(
      `run the project locally: wrangler dev on 127.0.0.1:8787, firing its [triggers] crons every minute (off: --no-cron or ${LOCAL_CRON_ENV}=off)`,
    )
    .option("--no-cron", "do not fire the cron triggers (cron and poll sources, retention, the stall sweep)")
    .allowUnknownOption()
    .argument("[args...]", "passed to wrangler dev (--port, --config, --persist-to ...)")
    .addHelpText("after", examples("cairn dev", "cairn dev --port 8788", "cairn dev --no-cron -- --persist-to .state"))
    .action(async (args: string[], options: { cron: boolean }) => {
      process.exitCode = await runDev({ cwd: process.cwd(), args, cron: options.cron });
    });
}
