// cairn dev: wrangler dev, with the project's defaults (cairn deploy lives in deploy.ts).
import { spawn } from "node:child_process";
import type { Command } from "commander";

function wrangler(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["wrangler", ...args], {
      stdio: "inherit",
      env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env },
    });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

export function registerLocal(program: Command): void {
  program
    .command("dev")
    .description("run the engine locally (wrangler dev on 127.0.0.1:8787)")
    .allowUnknownOption()
    .argument("[args...]", "passed to wrangler dev")
    .action(async (args: string[]) => {
      process.exitCode = await wrangler(["dev", "--ip", "127.0.0.1", ...args]);
    });
}
