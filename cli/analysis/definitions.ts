// What the names a workflow file uses stand for: each import (and same-file definition) resolved
// to the `define…({ slug })` it names, so a call site knows its step kind and name.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import ts from "typescript";
import { type FoundDefinition, type ModuleDefinitions, moduleDefinitions, parseSource } from "./parse-workflow.ts";

/** What a name in a workflow file stands for, when the analysis could tell. */
export type Binding =
  | { type: "definition"; definition: FoundDefinition }
  /** `import * as tools from "..."`: its members by name. */
  | { type: "namespace"; members: Map<string, FoundDefinition> }
  /** `promptLlm`, however it was renamed on import. */
  | { type: "llm" };

const EXTENSIONS = ["", ".ts", ".tsx", ".mts", ".js", ".mjs", "/index.ts", "/index.js"];

/** The module resolution `cairn-workflows/...` needs: the package's exports, sources in this repository. */
const RESOLUTION: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  customConditions: ["cairn-source"],
  allowJs: true,
  allowImportingTsExtensions: true,
  noEmit: true,
};

/** Reads definitions of imported modules once per analysis (a project imports one actions file often). */
export class DefinitionResolver {
  private readonly modules = new Map<string, ModuleDefinitions | undefined>();
  private readonly files = new Map<string, string | undefined>();

  /** The file a specifier names from `fromFile`, or undefined when it cannot be found (cached). */
  resolveFile(specifier: string, fromFile: string): string | undefined {
    const key = `${dirname(fromFile)}\0${specifier}`;
    if (!this.files.has(key)) this.files.set(key, this.findFile(specifier, fromFile));
    return this.files.get(key);
  }

  private findFile(specifier: string, fromFile: string): string | undefined {
    if (specifier.startsWith(".") || specifier.startsWith("/")) {
      const base = resolve(dirname(fromFile), specifier);
      const bases = /\.[cm]?js$/.test(base) ? [base, base.replace(/js$/, "ts")] : [base];
      return bases.flatMap((b) => EXTENSIONS.map((extension) => b + extension)).find(isFile);
    }
    const resolved = ts.resolveModuleName(specifier, fromFile, RESOLUTION, ts.sys).resolvedModule?.resolvedFileName;
    // An installed package resolves to its .d.ts; the slugs are in the JavaScript beside it.
    if (resolved?.endsWith(".d.ts")) {
      const js = resolved.replace(/\.d\.ts$/, ".js");
      return existsSync(js) ? js : undefined;
    }
    return resolved;
  }

  /** The definitions of a module file (cached). */
  definitionsOf(file: string): ModuleDefinitions | undefined {
    if (!this.modules.has(file)) {
      let definitions: ModuleDefinitions | undefined;
      try {
        definitions = moduleDefinitions(parseSource(file, readFileSync(file, "utf8")));
      } catch {
        definitions = undefined;
      }
      this.modules.set(file, definitions);
    }
    return this.modules.get(file);
  }

  /**
   * What the imported and same-file names of a workflow file stand for. Imports are resolved
   * lazily, on the first question about a name: most imports (zod, helpers) are never asked about.
   * @example resolver.bindings(sourceFile, "/app/src/workflows/orders.ts").get("processItem")
   */
  bindings(sourceFile: ts.SourceFile, fileName: string): Bindings {
    const local = moduleDefinitions(sourceFile).local;
    const imports = importedNames(sourceFile);
    const exportsOf = (specifier: string) => {
      const file = this.resolveFile(specifier, fileName);
      return (
        (file === undefined ? undefined : this.definitionsOf(file)?.exported) ?? new Map<string, FoundDefinition>()
      );
    };
    const known = new Map<string, Binding | undefined>();
    const resolveName = (name: string): Binding | undefined => {
      const definition = local.get(name);
      if (definition) return { type: "definition", definition };
      const imported = imports.get(name);
      if (!imported) return undefined;
      if (imported.name === "*") return { type: "namespace", members: exportsOf(imported.specifier) };
      if (imported.name === "promptLlm") return { type: "llm" };
      const found = exportsOf(imported.specifier).get(imported.name);
      return found && { type: "definition", definition: found };
    };
    return {
      get(name) {
        if (!known.has(name)) known.set(name, resolveName(name));
        return known.get(name);
      },
    };
  }
}

/** Looks names of a workflow file up (see DefinitionResolver.bindings). */
export interface Bindings {
  get(name: string): Binding | undefined;
}

/** Each imported local name: the module it comes from and its name there (`*` for a namespace). */
function importedNames(sourceFile: ts.SourceFile): Map<string, { specifier: string; name: string }> {
  const names = new Map<string, { specifier: string; name: string }>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const specifier = statement.moduleSpecifier.text;
    if (clause.name) names.set(clause.name.text, { specifier, name: "default" });
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) names.set(named.name.text, { specifier, name: "*" });
    else if (named)
      for (const element of named.elements)
        if (!element.isTypeOnly)
          names.set(element.name.text, { specifier, name: (element.propertyName ?? element.name).text });
  }
  return names;
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
