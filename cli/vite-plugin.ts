// `cairn-workflows/vite`: a Vite (and so Vitest) plugin that marks each step call of a workflow
// module with its call-site id as the module is loaded, the same marks `cairn generate` writes
// into its copies, so tests run workflows with the ids production records.
import { analyzeWorkflowFile, instrumentWorkflowFile } from "./analysis/analyze-workflow.ts";

/** Options of cairnCallSites. */
export interface CairnCallSitesOptions {
  /**
   * Which modules to instrument, by file path (query strings removed). Default: files in a
   * `workflows/` folder outside node_modules. Only modules that call `defineWorkflow` change.
   * @example cairnCallSites({ include: /\/test\/fixtures\/workflows\// })
   */
  include?: RegExp | ((path: string) => boolean);
}

/** The plugin object: a `transform` hook that runs before TypeScript is stripped. */
export interface CairnCallSitesPlugin {
  name: "cairn-call-sites";
  enforce: "pre";
  transform(code: string, id: string): { code: string; map: null } | null;
}

const SCRIPT = /\.[cm]?[jt]sx?$/;
const DEFAULT_INCLUDE = /[\\/]workflows[\\/][^\\/]+$/;

/**
 * Instruments workflow modules with call-site ids as Vite loads them (no files are written).
 * Lines stay where they were, so stack traces and coverage still point at the source.
 *
 * @example
 * // vitest.config.ts
 * import { cairnCallSites } from "cairn-workflows/vite";
 * export default defineConfig({ plugins: [cairnCallSites()] });
 */
export function cairnCallSites(options: CairnCallSitesOptions = {}): CairnCallSitesPlugin {
  const include = options.include ?? DEFAULT_INCLUDE;
  const wanted = (path: string) =>
    SCRIPT.test(path) &&
    !/[\\/]node_modules[\\/]/.test(path) &&
    (typeof include === "function" ? include(path) : include.test(path));
  return {
    name: "cairn-call-sites",
    enforce: "pre",
    transform(code, id) {
      const path = id.replace(/[?#].*$/, "");
      if (!wanted(path) || !code.includes("defineWorkflow")) return null;
      const analysis = analyzeWorkflowFile(code, path, path);
      if (analysis.sites.length === 0) return null;
      // Columns move by the inserted marks but lines do not: the old source map stays usable.
      return { code: instrumentWorkflowFile(analysis), map: null };
    },
  };
}
