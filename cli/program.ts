// The `cairn` command tree: every command registered on one commander program (main.ts runs it;
// tests walk it). A new command registers here with one line.
import { Command } from "commander";
import { registerAgents } from "./commands/agents.ts";
import { registerDeploy } from "./commands/deploy.ts";
import { registerDev } from "./commands/dev.ts";
import { registerGenerate } from "./commands/generate.ts";
import { registerHooks } from "./commands/hooks.ts";
import { registerInit } from "./commands/init.ts";
import { registerReplay } from "./commands/replay.ts";
import { registerRuns } from "./commands/runs.ts";
import { registerSubscriptions } from "./commands/subscriptions.ts";
import { registerTriggers } from "./commands/triggers.ts";
import { registerWorkflows } from "./commands/workflows.ts";
import { checkRuntimeUrl, DEFAULT_URL, type GlobalOptions } from "./context.ts";
import { examples } from "./format.ts";
import { ownPackage } from "./project/own-package.ts";

/** Every command of `cairn`, each with help that ends in examples. */
export function createProgram(): Command {
  const program = new Command("cairn")
    .description("Drive a Cairn durable workflow runtime")
    .option("--url <url>", `runtime URL (env CAIRN_URL, default ${DEFAULT_URL})`)
    .option("--api-key <key>", "API key (env CAIRN_API_KEY)")
    .option("--json", "print JSON (the default when stdout is not a terminal)")
    .version(ownPackage().version, "-v, --version", "print the version of Cairn")
    .showHelpAfterError()
    .addHelpText(
      "after",
      examples(
        "cairn dev",
        `cairn workflows run greeting --input '{"name":"Ada"}' --wait`,
        "cairn runs list --status failed",
        "cairn runs events run_0123…",
        "cairn --url https://my-app.example.workers.dev --api-key $KEY workflows list",
      ),
    )
    // A --url that is not a URL is a usage error (exit 2) for every command, before any request.
    .hook("preAction", (root) => {
      const { url } = root.opts<GlobalOptions>();
      if (url !== undefined) checkRuntimeUrl(url, "--url");
    });

  const globals = () => program.opts<GlobalOptions>();
  registerWorkflows(program, globals);
  registerRuns(program, globals);
  registerHooks(program, globals);
  registerTriggers(program, globals);
  registerSubscriptions(program, globals);
  registerAgents(program, globals);
  registerDev(program);
  registerInit(program);
  registerGenerate(program);
  registerDeploy(program, globals);
  registerReplay(program, globals);
  exitOverrideEverywhere(program);
  return program;
}

/** Commander throws instead of exiting, at every depth, so main.ts maps each error to an exit code. */
function exitOverrideEverywhere(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOverrideEverywhere(sub);
}
