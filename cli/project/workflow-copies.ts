// Writes the instrumented copies of a project's workflow files to <srcDir>/.cairn/workflows/, the
// files cairn.gen.ts registers: the same code with each step call marked with its call-site id.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { WorkflowGraph } from "../../sdk/workflow-graph.ts";
import { analyzeWorkflowFile, instrumentWorkflowFile } from "../analysis/analyze-workflow.ts";
import { DefinitionResolver } from "../analysis/definitions.ts";

/** Where the copies go, relative to the scanned folder (ignored by git). */
export const COPIES_DIR = ".cairn/workflows";

/** What writing the copies did. */
export interface CopiesResult {
  graphs: WorkflowGraph[];
  /** How many copies were written or removed (unchanged ones are left alone). */
  written: number;
  removed: number;
  sites: number;
}

const withoutExtension = (name: string) => name.replace(/\.[cm]?[jt]sx?$/, "");

/**
 * A relative import rebased from `workflows/<f>` to `.cairn/workflows/<f>`: a sibling workflow file
 * resolves to its copy (one definition per slug in the Worker), anything else to the original.
 */
function rebaser(srcDir: string, copied: Set<string>) {
  const workflowsDir = resolve(srcDir, "workflows");
  const copiesDir = resolve(srcDir, COPIES_DIR);
  return (specifier: string): string | undefined => {
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
    let target = resolve(workflowsDir, specifier);
    if (dirname(target) === workflowsDir && copied.has(withoutExtension(basename(target))))
      target = join(copiesDir, basename(target));
    const path = relative(copiesDir, target).split(sep).join("/");
    return path.startsWith(".") ? path : `./${path}`;
  };
}

/** Writes `path` only when its content differs: a rewrite would retrigger wrangler's watcher. */
function writeIfChanged(path: string, content: string): boolean {
  if (existsSync(path) && readFileSync(path, "utf8") === content) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return true;
}

/**
 * Analyses each workflow file (`files`: names in `<srcDir>/workflows/`), writes its instrumented
 * copy, removes copies whose file is gone, and returns the graphs in file order.
 * @example writeWorkflowCopies("src", ["orders.ts"]).graphs[0]?.slug // "process-orders"
 */
export function writeWorkflowCopies(srcDir: string, files: readonly string[]): CopiesResult {
  const resolver = new DefinitionResolver();
  const copiesDir = join(srcDir, COPIES_DIR);
  const rebase = rebaser(srcDir, new Set(files.map(withoutExtension)));
  const result: CopiesResult = { graphs: [], written: 0, removed: 0, sites: 0 };
  for (const file of files) {
    const path = resolve(srcDir, "workflows", file);
    const analysis = analyzeWorkflowFile(readFileSync(path, "utf8"), path, `workflows/${file}`, resolver);
    result.graphs.push(...analysis.graphs);
    result.sites += analysis.sites.length;
    if (writeIfChanged(join(copiesDir, file), instrumentWorkflowFile(analysis, { rebase }))) result.written++;
  }
  if (existsSync(copiesDir)) {
    const kept = new Set(files);
    for (const name of readdirSync(copiesDir)) {
      if (kept.has(name)) continue;
      rmSync(join(copiesDir, name), { recursive: true, force: true });
      result.removed++;
    }
  }
  return result;
}
