// Runs `wrangler dev` in a project on 127.0.0.1 and, once it is listening, fires the project's
// cron triggers every minute (local-cron.ts) unless told not to. Shared by `cairn dev` and `npm start`.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseConfig, readConfig } from "../project/wrangler-config.ts";
import { LOCAL_CRON_ENV, localCronEnabled, startLocalCron } from "./local-cron.ts";

export interface DevOptions {
  /** The project folder (its wrangler config). */
  cwd: string;
  /** Arguments for `wrangler dev` after `dev` (`--port 8788`, `--config x.toml`, ...). */
  args: string[];
  /** False: never fire the crons (`--no-cron`); `CAIRN_DEV_CRON=off` also turns them off. */
  cron: boolean;
  /** Called once with the server's URL when it is listening (npm start prints its banner). */
  onReady?: (url: string) => void;
  /** Where Cairn's own lines go (stderr by default, beside wrangler's). */
  log?: (line: string) => void;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: wrangler colours its lines on a terminal.
const ANSI = /\u001b\[[0-9;]*m/g;
const READY = /Ready on (https?:\/\/\S+)/;

/** The `--config`/`-c` value among wrangler's arguments, if any. */
function configArgument(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--config" || arg === "-c") return args[i + 1];
    if (arg.startsWith("--config=")) return arg.slice("--config=".length);
  }
  return undefined;
}

/** The `[triggers] crons` of the project's wrangler config (the one `--config` names, if given). */
export function projectCrons(cwd: string, args: string[]): string[] {
  const named = configArgument(args);
  if (named) {
    const path = resolve(cwd, named);
    const format = path.endsWith(".toml") ? "toml" : "json";
    return parseConfig(readFileSync(path, "utf8"), format, path).crons ?? [];
  }
  return readConfig(cwd)?.config.crons ?? [];
}

/**
 * The project's own wrangler (node_modules/.bin), else wrangler from PATH; CAIRN_WRANGLER (a path
 * or a command line) overrides both, as for `cairn deploy`.
 */
function wranglerCommand(cwd: string): [string, string[]] {
  const override = process.env.CAIRN_WRANGLER?.trim();
  if (override) {
    if (existsSync(override)) return [override, []];
    const [command = "wrangler", ...args] = override.split(/\s+/);
    return [command, args];
  }
  const local = join(cwd, "node_modules", ".bin", "wrangler");
  return [existsSync(local) ? local : "wrangler", []];
}

/** Runs wrangler dev until it exits; resolves with its exit code. */
export function runDev(options: DevOptions): Promise<number> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const crons = options.cron && localCronEnabled() ? projectCrons(options.cwd, options.args) : [];
  const hasIp = options.args.some((a) => a === "--ip" || a.startsWith("--ip="));
  const [command, prefix] = wranglerCommand(options.cwd);
  const child = spawn(command, [...prefix, "dev", ...(hasIp ? [] : ["--ip", "127.0.0.1"]), ...options.args], {
    cwd: options.cwd,
    stdio: ["inherit", "pipe", "pipe"],
    // The machine may have no route to Cloudflare: skip fetching the Request.cf sample data.
    env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", ...process.env },
  });
  let cron: { stop(): void } | undefined;
  let ready = false;
  const watch = (chunk: Buffer, sink: NodeJS.WriteStream) => {
    sink.write(chunk);
    if (ready) return;
    const match = READY.exec(String(chunk).replace(ANSI, ""));
    if (!match) return;
    ready = true;
    const url = match[1]!.replace(/\/$/, "");
    options.onReady?.(url);
    if (crons.length === 0) {
      const why = options.cron && localCronEnabled() ? "the wrangler config has no [triggers] crons" : "turned off";
      log(`[cairn] local cron: ${why}; cron and poll triggers fire only with \`cairn triggers invoke\``);
      return;
    }
    log(
      `[cairn] local cron: firing ${crons.map((c) => `"${c}"`).join(", ")} every minute (--no-cron or ${LOCAL_CRON_ENV}=off to stop)`,
    );
    cron = startLocalCron({ url, crons, log });
  };
  child.stdout.on("data", (chunk: Buffer) => watch(chunk, process.stdout));
  child.stderr.on("data", (chunk: Buffer) => watch(chunk, process.stderr));
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, forward);
  return new Promise((done) => {
    child.on("error", (error) => {
      log(`[cairn] cannot run wrangler (${command}): ${error.message}; install it with \`npm install -D wrangler\``);
      done(1);
    });
    child.on("exit", (code, signal) => {
      cron?.stop();
      for (const s of ["SIGINT", "SIGTERM"] as const) process.off(s, forward);
      done(code ?? (signal ? 1 : 0));
    });
  });
}
