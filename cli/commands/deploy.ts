// cairn deploy: creates the queues and R2 buckets the wrangler config names, then runs wrangler deploy.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { readConfig } from "../project/wrangler-config.ts";
import { FailedOutcome, UsageProblem } from "../context.ts";

interface DeployOptions {
  dryRun?: boolean;
}

/** wrangler from PATH (npx puts node_modules/.bin first), or CAIRN_WRANGLER: a path or a command line. */
function wranglerCommand(): [string, string[]] {
  const override = process.env.CAIRN_WRANGLER;
  if (!override) return ["wrangler", []];
  if (existsSync(override)) return [override, []];
  const [command = "wrangler", ...args] = override.trim().split(/\s+/);
  return [command, args];
}

interface Outcome {
  code: number;
  output: string;
}

/** Runs wrangler; `capture` keeps its output to read an "already exists" answer, else it inherits stdio. */
function wrangler(args: string[], capture: boolean): Promise<Outcome> {
  const [command, prefix] = wranglerCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], {
      stdio: capture ? ["inherit", "pipe", "pipe"] : "inherit",
      // wrangler is a .cmd shim on Windows, which only a shell can start.
      shell: process.platform === "win32",
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", (error) => reject(new FailedOutcome(`cannot run ${command}: ${error.message}`)));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Creates one queue or bucket; an "already exists" answer is success, any other failure stops the deploy. */
async function ensure(kind: "queue" | "R2 bucket", args: string[], name: string): Promise<void> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  out(`creating ${kind} ${name}`);
  const { code, output } = await wrangler(args, true);
  if (code === 0) out(`  created ${kind} ${name}`);
  else if (/already exists/i.test(output)) out(`  ${kind} ${name} already exists`);
  else {
    process.stderr.write(output);
    throw new FailedOutcome(`could not create ${kind} ${name} (wrangler exited ${code}); nothing was deployed`);
  }
}

/** Registers `cairn deploy`. */
export function registerDeploy(program: Command): void {
  program
    .command("deploy")
    .description("create the queues and R2 buckets the wrangler config names when missing, then wrangler deploy")
    .option("--dry-run", "print the steps and run `wrangler deploy --dry-run`; create nothing")
    .argument("[args...]", "after --: extra arguments for wrangler deploy")
    .addHelpText(
      "after",
      "\nExamples:\n  $ npx cairn deploy\n  $ npx cairn deploy --dry-run\n  $ npx cairn deploy -- --env staging",
    )
    .action(async (args: string[], options: DeployOptions) => {
      const out = (text: string) => process.stdout.write(`${text}\n`);
      const file = readConfig(process.cwd());
      if (!file) throw new UsageProblem("no wrangler.toml, wrangler.jsonc or wrangler.json in this folder");
      const { config } = file;
      const queues = [...new Set([...config.producers, ...config.consumers].map((q) => q.queue).filter(Boolean))];
      const buckets = [...new Set(config.r2Buckets.map((r) => r.bucket_name).filter(Boolean))];
      for (const queue of queues) {
        if (options.dryRun) out(`would create queue ${queue} if missing (skipped: --dry-run)`);
        else await ensure("queue", ["queues", "create", queue], queue);
      }
      for (const bucket of buckets) {
        if (options.dryRun) out(`would create R2 bucket ${bucket} if missing (skipped: --dry-run)`);
        else await ensure("R2 bucket", ["r2", "bucket", "create", bucket], bucket);
      }
      const deployArgs = ["deploy", ...(options.dryRun ? ["--dry-run"] : []), ...args];
      out(`running wrangler ${deployArgs.join(" ")}`);
      const { code } = await wrangler(deployArgs, false);
      if (code !== 0) throw new FailedOutcome(`wrangler deploy exited ${code}`);
      out("\nSet the API key once: npx wrangler secret put CAIRN_API_KEY");
    });
}
