// Loads a project's LOCAL code into this Node process for the replay gate: `cairn generate`, then
// one esbuild bundle of cairn.gen.ts together with Cairn's own replay check, imported from a temp
// file. Nothing in it runs a step: the bundle only defines workflows (decision 0019).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import type { replayHistory } from "../../sdk/testing.ts";
import { graphSteps, type WorkflowGraph } from "../../sdk/workflow-graph.ts";
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";
import { generateRegistry, REGISTRY_FILE } from "./registry-file.ts";
import { readConfig } from "./wrangler-config.ts";

/** The project's code as the bundle defines it, and the replay check from the same bundle. */
export interface LocalCode {
  /** Workflows by slug. */
  workflows: Map<string, WorkflowDefinition>;
  /** Every call-site id `cairn generate` found in the workflow files. */
  callSites: ReadonlySet<string>;
  /**
   * `replayHistory` from the bundle's own copy of Cairn: the driver, the step scope and the
   * call-site marks the workflows use are the very modules that replay them (two copies would
   * not see each other's run scope, and a step would execute instead of replaying).
   */
  replay: typeof replayHistory;
}

/** The project could not be loaded: generate or the bundle failed (the message says where). */
export class LocalCodeError extends Error {}

/**
 * The folder holding workflows/, actions/, ...: `--dir` when given, else the folder of the
 * wrangler config's `main` (where cairn.gen.ts sits next to the entry), else `src`.
 */
export function sourceDir(cwd: string, dir: string | undefined): string {
  if (dir) return resolve(cwd, dir);
  const main = readConfig(cwd)?.config.main;
  return resolve(cwd, main ? dirname(main) : "src");
}

/**
 * `cloudflare:*` modules do not exist in Node. Workflow files may import them (`env`, base
 * classes) at load time, so they get a CommonJS stand-in: any named import is allowed, the
 * classes can be extended, and nothing in it is ever called while a log replays.
 */
const cloudflareStub: Plugin = {
  name: "cairn-cloudflare-stub",
  setup(build) {
    build.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: "cloudflare-stub" }));
    build.onLoad({ filter: /.*/, namespace: "cloudflare-stub" }, () => ({
      loader: "js",
      contents: [
        "class Stub {}",
        "module.exports = { env: {}, DurableObject: Stub, WorkerEntrypoint: Stub, WorkflowEntrypoint: Stub,",
        "  RpcTarget: Stub, RpcStub: Stub, waitUntil() {} };",
      ].join("\n"),
    }));
  },
};

/** The folder of the cairn-workflows package this CLI runs from (the repository or node_modules/cairn-workflows). */
function ownRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  const isOwn = (file: string) => existsSync(file) && JSON.parse(readFileSync(file, "utf8")).name === "cairn-workflows";
  while (!isOwn(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new LocalCodeError("cannot find the cairn-workflows package above the CLI");
    dir = parent;
  }
  return dir;
}

/**
 * `cairn-workflows` resolves as the project resolves it; a project that cannot (no install, as
 * with a global `cairn`) gets the package this CLI runs from, so there is still one engine copy.
 */
function packageFallback(root: string): Plugin {
  return {
    name: "cairn-package-fallback",
    setup(build) {
      build.onResolve({ filter: /^cairn-workflows(\/|$)/ }, async (args) => {
        if (args.pluginData === "fallback") return undefined;
        const ask = (resolveDir: string) =>
          build.resolve(args.path, { kind: args.kind, resolveDir, pluginData: "fallback" });
        let found = await ask(args.resolveDir);
        if (found.errors.length > 0) found = await ask(root);
        if (found.errors.length > 0) return { errors: found.errors };
        return {
          path: found.path,
          namespace: found.namespace,
          external: found.external,
          sideEffects: found.sideEffects,
        };
      });
    },
  };
}

/**
 * Runs `cairn generate` on `srcDir`, bundles `<srcDir>/cairn.gen.ts` for Node and imports it.
 * @throws LocalCodeError when generate or the bundle fails.
 * @example const code = await loadLocalCode("src"); code.workflows.get("place-order")
 */
export async function loadLocalCode(srcDir: string): Promise<LocalCode> {
  if (!existsSync(srcDir)) throw new LocalCodeError(`no source folder ${srcDir} (pass --dir)`);
  try {
    generateRegistry(srcDir);
  } catch (error) {
    throw new LocalCodeError(`cairn generate ${srcDir} failed: ${(error as Error).message}`);
  }
  const { build } = await import("esbuild");
  const root = ownRoot();
  // One entry: the registry and Cairn's testing module, resolved the way the project's own
  // imports resolve `cairn-workflows`, so both share one copy of the engine.
  const entry = [`export * from "./${REGISTRY_FILE}";`, `export { replayHistory } from "cairn-workflows/testing";`];
  let code: string;
  try {
    const result = await build({
      stdin: { contents: entry.join("\n"), resolveDir: srcDir, sourcefile: "cairn-replay-entry.ts", loader: "ts" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      write: false,
      logLevel: "silent",
      // From the repository's sources, `cairn-source` points the package's exports at them.
      conditions: existsSync(join(root, "sdk", "testing.ts")) ? ["cairn-source"] : [],
      // Bare imports the project cannot resolve (zod, ...) fall back to the CLI's own install.
      nodePaths: [join(root, "node_modules"), dirname(root)],
      plugins: [cloudflareStub, packageFallback(root)],
      // Bundled CommonJS (the stub, some packages) may call require for Node built-ins.
      banner: {
        js: `import { createRequire as __cairnRequire } from "node:module"; const require = __cairnRequire(import.meta.url);`,
      },
    });
    code = result.outputFiles[0]?.text ?? "";
  } catch (error) {
    throw new LocalCodeError(`bundling ${join(srcDir, REGISTRY_FILE)} failed: ${(error as Error).message}`);
  }
  const dir = mkdtempSync(join(tmpdir(), "cairn-replay-"));
  const file = join(dir, "bundle.mjs");
  writeFileSync(file, code);
  let loaded: {
    workflows?: readonly WorkflowDefinition[];
    graphs?: readonly WorkflowGraph[];
    replayHistory: typeof replayHistory;
  };
  try {
    loaded = await import(pathToFileURL(file).href);
  } catch (error) {
    throw new LocalCodeError(`loading the local code of ${srcDir} failed: ${(error as Error).message}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const workflows = new Map((loaded.workflows ?? []).map((w) => [w.slug, w]));
  const callSites = new Set((loaded.graphs ?? []).flatMap((graph) => graphSteps(graph.root).map((step) => step.site)));
  return { workflows, callSites, replay: loaded.replayHistory };
}
