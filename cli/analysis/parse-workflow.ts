// Finds the `defineWorkflow({ slug, run })` calls of a workflow file and their `run` bodies, and
// the `define(Action|Workflow|Agent)({ slug })` definitions a file exports.
import ts from "typescript";

/** A workflow found in a file: its slug and the `run` function whose body holds its steps. */
export interface FoundWorkflow {
  slug: string;
  run: ts.FunctionLikeDeclaration & { body: ts.Node };
  /** The name of run's second parameter (`ctx`), when it is a plain identifier. */
  ctxName?: string;
}

/** What a defining call makes: the step kind its `.run()`/`.prompt()` calls record. */
export type DefinitionKind = "action" | "workflow" | "agent";

/** A definition a module exports: its kind and slug (the step name its calls record). */
export interface FoundDefinition {
  kind: DefinitionKind;
  slug: string;
}

const DEFINERS: Record<string, DefinitionKind> = {
  defineAction: "action",
  defineWorkflow: "workflow",
  defineAgent: "agent",
};

/**
 * Parses a file with parent pointers, as every later step of the analysis needs.
 * @example parseSource("workflows/greeting.ts", text)
 */
export function parseSource(fileName: string, text: string): ts.SourceFile {
  const kind = /\.[cm]?jsx?$/.test(fileName)
    ? ts.ScriptKind.JS
    : /x$/.test(fileName)
      ? ts.ScriptKind.TSX
      : ts.ScriptKind.TS;
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
}

/** `defineWorkflow`, `x.defineAction`: the called function's last name. */
function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** A string literal, or a same-file `const NAME = "..."` it names. */
function stringValue(node: ts.Node | undefined, sourceFile: ts.SourceFile): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (!ts.isIdentifier(node)) return undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (ts.isIdentifier(declaration.name) && declaration.name.text === node.text && declaration.initializer)
        return stringValue(declaration.initializer, sourceFile);
    }
  }
  return undefined;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return object.properties.find(
    (p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
}

/** The `{ slug, ... }` object of a defining call and its slug. */
function definitionObject(call: ts.CallExpression, sourceFile: ts.SourceFile) {
  const [options] = call.arguments;
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  const slugProperty = property(options, "slug");
  const slug =
    slugProperty && ts.isPropertyAssignment(slugProperty)
      ? stringValue(slugProperty.initializer, sourceFile)
      : slugProperty && ts.isShorthandPropertyAssignment(slugProperty)
        ? stringValue(slugProperty.name, sourceFile)
        : undefined;
  return slug === undefined ? undefined : { options, slug };
}

/** The `run` of a workflow's options: `run: async (input, ctx) => ...` or `async run(input, ctx) {}`. */
function runFunction(options: ts.ObjectLiteralExpression): FoundWorkflow["run"] | undefined {
  const run = property(options, "run");
  if (!run) return undefined;
  const fn = ts.isPropertyAssignment(run) ? run.initializer : run;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.body)
    return fn as FoundWorkflow["run"];
  return undefined;
}

function visitCalls(node: ts.Node, visit: (call: ts.CallExpression) => void): void {
  if (ts.isCallExpression(node)) visit(node);
  ts.forEachChild(node, (child) => visitCalls(child, visit));
}

/**
 * The workflows a file defines, in source order. A `defineWorkflow` whose slug is not a literal
 * (or a same-file constant) or whose `run` is not written inline is skipped: it has no graph.
 * @example findWorkflows(parseSource(path, text)) // [{ slug: "greeting", run, ctxName: "ctx" }]
 */
export function findWorkflows(sourceFile: ts.SourceFile): FoundWorkflow[] {
  const found: FoundWorkflow[] = [];
  visitCalls(sourceFile, (call) => {
    if (calleeName(call) !== "defineWorkflow") return;
    const definition = definitionObject(call, sourceFile);
    const run = definition && runFunction(definition.options);
    if (!definition || !run) return;
    const ctx = run.parameters[1]?.name;
    found.push({ slug: definition.slug, run, ...(ctx && ts.isIdentifier(ctx) ? { ctxName: ctx.text } : {}) });
  });
  return found;
}

/** The definitions of a module: every top-level one by local name, and the exported ones. */
export interface ModuleDefinitions {
  local: Map<string, FoundDefinition>;
  /** By export name (`default` for a default export). */
  exported: Map<string, FoundDefinition>;
}

/**
 * The definitions a module makes: `export const x = defineAction({ slug })`,
 * `export default defineWorkflow({ slug })`, and `const x = define…(…); export { x }` /
 * `export default x`.
 * @example moduleDefinitions(parseSource(path, text)).exported.get("processItem") // { kind: "action", slug: "process-item" }
 */
export function moduleDefinitions(sourceFile: ts.SourceFile): ModuleDefinitions {
  const local = new Map<string, FoundDefinition>();
  const exported = new Map<string, FoundDefinition>();
  const defined = (node: ts.Expression | undefined): FoundDefinition | undefined => {
    if (!node || !ts.isCallExpression(node)) return undefined;
    const kind = DEFINERS[calleeName(node) ?? ""];
    const definition = kind && definitionObject(node, sourceFile);
    return kind && definition ? { kind, slug: definition.slug } : undefined;
  };
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      const isExported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
      for (const declaration of statement.declarationList.declarations) {
        const definition = defined(declaration.initializer);
        if (!definition || !ts.isIdentifier(declaration.name)) continue;
        local.set(declaration.name.text, definition);
        if (isExported) exported.set(declaration.name.text, definition);
      }
    } else if (ts.isExportAssignment(statement)) {
      const expression = statement.expression;
      const definition = defined(expression) ?? (ts.isIdentifier(expression) ? local.get(expression.text) : undefined);
      if (definition) exported.set("default", definition);
    }
  }
  for (const statement of sourceFile.statements) {
    if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier || !statement.exportClause) continue;
    if (!ts.isNamedExports(statement.exportClause)) continue;
    for (const element of statement.exportClause.elements) {
      const definition = local.get((element.propertyName ?? element.name).text);
      if (definition) exported.set(element.name.text, definition);
    }
  }
  return { local, exported };
}
