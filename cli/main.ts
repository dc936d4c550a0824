// The `cairn` command line: noun-verb commands over the HTTP API. Exit codes: 0 success,
// 1 a rejected request or a failed run, 2 a usage error.
import { Command, CommanderError } from "commander";
import { CairnApiError, CairnConnectionError } from "../sdk/client.ts";
import { registerDeploy } from "./commands/deploy.ts";
import { registerGenerate } from "./commands/generate.ts";
import { registerHooks } from "./commands/hooks.ts";
import { registerInit } from "./commands/init.ts";
import { registerLocal } from "./commands/local.ts";
import { registerRuns } from "./commands/runs.ts";
import { registerTriggers } from "./commands/triggers.ts";
import { registerWorkflows } from "./commands/workflows.ts";
import { DEFAULT_URL, FailedOutcome, type GlobalOptions, UsageProblem } from "./context.ts";
import { ownPackage } from "./project/own-package.ts";

const program = new Command("cairn")
  .description("Drive a Cairn durable workflow runtime")
  .option("--url <url>", `runtime URL (env CAIRN_URL, default ${DEFAULT_URL})`)
  .option("--api-key <key>", "API key (env CAIRN_API_KEY)")
  .option("--json", "print JSON (the default when stdout is not a terminal)")
  .version(ownPackage().version, "-v, --version", "print the version of Cairn")
  .showHelpAfterError()
  .exitOverride();

const globals = () => program.opts<GlobalOptions>();
registerWorkflows(program, globals);
registerRuns(program, globals);
registerHooks(program, globals);
registerTriggers(program, globals);
registerLocal(program);
registerInit(program);
registerGenerate(program);
registerDeploy(program);
for (const command of program.commands) {
  command.exitOverride();
  for (const sub of command.commands) sub.exitOverride();
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; everything else commander raises is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  const say = (message: string) => process.stderr.write(`cairn: ${message}\n`);
  if (error instanceof UsageProblem) {
    say(error.message);
    return 2;
  }
  if (error instanceof CairnApiError) {
    say(`${error.message} (${error.code}, HTTP ${error.status})`);
    return 1;
  }
  if (error instanceof CairnConnectionError || error instanceof FailedOutcome) {
    say(error.message);
    return 1;
  }
  say((error as Error)?.stack ?? String(error));
  return 1;
}
