// cairn deploy: the replay gate against the running deployment first (unless --skip-replay), then
// creates the queues and R2 buckets the wrangler config names, then runs wrangler deploy.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { CairnApiError, CairnConnectionError } from "../../sdk/client.ts";
import { type ConfigFile, readConfig } from "../project/wrangler-config.ts";
import { FailedOutcome, type GlobalOptions, UsageProblem } from "../context.ts";
import { deploymentUrl, reportGate, runReplayGate } from "./replay.ts";

interface DeployOptions {
  dryRun?: boolean;
  skipReplay?: boolean;
  finished?: string;
  dir?: string;
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

/**
 * The replay gate before a deploy: every live run of the deployment at `--url` (or the config's
 * `PUBLIC_URL` var) must replay against the code about to ship. No URL, or nothing answering
 * there (a first deploy), or a runtime without the export route: said, and the deploy goes on.
 */
async function replayBeforeDeploy(file: ConfigFile, options: DeployOptions, globals: GlobalOptions): Promise<void> {
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const raw = globals.url ?? file.config.vars.PUBLIC_URL;
  if (!raw) {
    out("replay gate: no deployment URL (--url or PUBLIC_URL in [vars]); nothing to check, skipping it");
    return;
  }
  const url = deploymentUrl(raw, globals.url ? "--url" : "PUBLIC_URL");
  out(`replay gate: replaying the live runs of ${url} against the local code`);
  let report: Awaited<ReturnType<typeof runReplayGate>>;
  try {
    report = await runReplayGate({
      url,
      apiKey: globals.apiKey ?? process.env.CAIRN_API_KEY,
      finished: options.finished === undefined ? 0 : Number(options.finished),
      dir: options.dir,
      cwd: process.cwd(),
    });
  } catch (error) {
    if (error instanceof CairnConnectionError) {
      out(`replay gate: no deployment answers at ${url} (a first deploy?); nothing to check, going on`);
      return;
    }
    if (error instanceof CairnApiError && error.status === 404) {
      out(`replay gate: ${url} has no export route (an older Cairn); cannot check, going on`);
      return;
    }
    if (error instanceof CairnApiError)
      throw new FailedOutcome(
        `replay gate: ${url} refused the export (${error.code}: ${error.message}); pass --api-key, or --skip-replay to deploy unchecked`,
      );
    throw error;
  }
  try {
    reportGate(report, false);
  } catch (error) {
    if (error instanceof FailedOutcome)
      throw new FailedOutcome(
        `${error.message}; nothing was deployed (fix the code, or --skip-replay to deploy anyway)`,
      );
    throw error;
  }
}

/** Registers `cairn deploy`. */
export function registerDeploy(program: Command, globals: () => GlobalOptions = () => ({})): void {
  program
    .command("deploy")
    .description("create the queues and R2 buckets the wrangler config names when missing, then wrangler deploy")
    .option("--dry-run", "print the steps and run `wrangler deploy --dry-run`; create nothing")
    .option("--skip-replay", "deploy without replaying the deployment's live runs against the new code first")
    .option("--finished <n>", "the replay gate also replays the n most recent finished runs")
    .option("--dir <srcDir>", "the folder with workflows/ for the replay gate (default: the main file's folder)")
    .argument("[args...]", "after --: extra arguments for wrangler deploy")
    .addHelpText(
      "after",
      [
        "",
        "Before deploying, the replay gate replays the live runs of the deployment at --url (or the",
        "PUBLIC_URL var of the wrangler config) against the local code, and stops when any would diverge.",
        "",
        "Examples:",
        "  $ npx cairn deploy --url https://shop.example.workers.dev",
        "  $ npx cairn deploy --dry-run",
        "  $ npx cairn deploy --skip-replay -- --env staging",
      ].join("\n"),
    )
    .action(async (args: string[], options: DeployOptions) => {
      const out = (text: string) => process.stdout.write(`${text}\n`);
      const file = readConfig(process.cwd());
      if (!file) throw new UsageProblem("no wrangler.toml, wrangler.jsonc or wrangler.json in this folder");
      const { config } = file;
      if (options.finished !== undefined && !/^\d+$/.test(options.finished))
        throw new UsageProblem("--finished must be a whole number");
      if (options.skipReplay) out("replay gate: skipped (--skip-replay)");
      else await replayBeforeDeploy(file, options, globals());
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
