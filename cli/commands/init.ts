// cairn init [dir]: a new Cairn project, or Cairn's pieces added to an existing Worker.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { FailedOutcome } from "../context.ts";
import { type InitPlan, planInit } from "../project/init-plan.ts";
import { generateRegistry } from "../project/registry-file.ts";

interface InitOptions {
  yes?: boolean;
  name?: string;
}

/** Asks once on a terminal; --yes and non-interactive runs (CI, scripts) proceed. */
async function confirmed(plan: InitPlan, options: InitOptions): Promise<boolean> {
  if (options.yes || !process.stdin.isTTY) return true;
  const out = process.stdout;
  out.write(`cairn init will write in ${plan.dir}:\n`);
  for (const change of plan.changes) out.write(`  ${change.report}\n`);
  const rl = createInterface({ input: process.stdin, output: out });
  try {
    return /^y(es)?$/i.test((await rl.question("Proceed? [y/N] ")).trim());
  } finally {
    rl.close();
  }
}

function nextSteps(plan: InitPlan, cd: string): string {
  const base = plan.entryWired ? "" : "/cairn";
  const steps = [
    ...(cd ? [`cd ${cd}`] : []),
    "npm install",
    "npx wrangler dev",
    `curl -X POST 'http://127.0.0.1:8787${base}/workflows/hello?wait=10' -H 'content-type: application/json' -d '{"name":"Ada"}'`,
  ];
  return `\nNext steps:\n${steps.map((s) => `  ${s}`).join("\n")}\n`;
}

/** Registers `cairn init`. */
export function registerInit(program: Command): void {
  program
    .command("init")
    .description("create a Cairn project, or add Cairn to the Worker in this folder (never overwrites your files)")
    .argument("[dir]", "the project folder", ".")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--name <worker-name>", "the Worker's name (default: package.json name, else the folder name)")
    .addHelpText("after", "\nExamples:\n  $ npx cairn init --yes\n  $ npx cairn init my-app --name my-app")
    .action(async (dir: string, options: InitOptions) => {
      const out = (text: string) => process.stdout.write(`${text}\n`);
      let plan: InitPlan;
      try {
        plan = planInit(dir, options);
      } catch (error) {
        // An unreadable config or an edit that would not re-parse: say so in one line, write nothing.
        throw new FailedOutcome((error as Error).message);
      }
      if (plan.changes.length > 0) {
        if (!(await confirmed(plan, options))) {
          out("Nothing written.");
          return;
        }
        for (const change of plan.changes) {
          const path = join(dir, change.path);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, change.content);
          out(change.report);
        }
      }
      // The entry imports cairn.gen.ts, so it must exist before the first typecheck.
      const generated = generateRegistry(join(dir, plan.srcDir));
      const genPath = `${plan.srcDir}/cairn.gen.ts`;
      if (generated.changed) out(`${plan.changes.length > 0 ? "created" : "regenerated"} ${genPath}`);
      if (plan.changes.length === 0 && !generated.changed) {
        out("Nothing to change: this project already has everything Cairn needs.");
      }
      for (const note of plan.notes) out(`\nNote: ${note}`);
      const rel = relative(process.cwd(), dir);
      if (plan.changes.length > 0) out(nextSteps(plan, rel.startsWith("..") ? resolve(dir) : rel));
    });
}
