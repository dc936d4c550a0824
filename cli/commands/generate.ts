// cairn generate [srcDir]: writes the import list of the project's definitions (cairn.gen.ts), the
// workflows' graphs, and their call-site-instrumented copies (.cairn/workflows/).
import type { Command } from "commander";
import { DuplicateSlugError, generateRegistry } from "../project/registry-file.ts";
import { FailedOutcome } from "../context.ts";

/** Registers `cairn generate`; wrangler's [build] command runs it before every dev start and deploy. */
export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description(
      "write <srcDir>/cairn.gen.ts from the files in workflows/, actions/, agents/ and triggers/, with each workflow's graph and call-site ids",
    )
    .argument("[srcDir]", "the folder holding workflows/, actions/, agents/, triggers/", "src")
    .addHelpText("after", "\nExample:\n  $ cairn generate src")
    .action((srcDir: string) => {
      try {
        const result = generateRegistry(srcDir);
        const { workflows, actions, agents, triggers, callSites } = result.counts;
        const summary = `${workflows} workflows (${callSites} call sites), ${actions} action files, ${agents} agents, ${triggers} triggers`;
        process.stdout.write(`${result.changed ? "wrote" : "unchanged"} ${result.path} (${summary})\n`);
      } catch (error) {
        // A duplicate slug is the user's build error, not a crash: one line, exit 1.
        if (error instanceof DuplicateSlugError) throw new FailedOutcome(error.message);
        throw error;
      }
    });
}
