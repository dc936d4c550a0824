// Writes the call-site marks into a workflow's code: `processItem.run(x)` becomes
// `__cairnSite("k3f9a2cd", processItem).run(x)`. Text is spliced by position, so every other byte
// (and every line number) stays as written.
import ts from "typescript";
import type { CallSite } from "./call-sites.ts";

/** The local name of the mark in instrumented code; unlikely to clash with a user's own. */
export const MARK = "__cairnSite";

/** The import the instrumented code ends with (ES imports hoist, so line numbers stay put). */
export const MARK_IMPORT = `import { atCallSite as ${MARK} } from "cairn-workflows/call-site";`;

interface Edit {
  pos: number;
  end: number;
  text: string;
}

/** The string literals naming other modules: imports, re-exports and `import("...")`. */
function moduleSpecifiers(sourceFile: ts.SourceFile): ts.StringLiteral[] {
  const found: ts.StringLiteral[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0]);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** What instrumentSource may change besides the marks. */
export interface InstrumentOptions {
  /** A new specifier for an import (the copy lives elsewhere), or undefined to keep it. */
  rebase?: (specifier: string) => string | undefined;
}

/**
 * The workflow file's code with every call site marked (and imports rebased when asked). A file
 * without sites keeps its code, rebased imports aside.
 * @example instrumentSource(text, sourceFile, sites) // '... __cairnSite("k3f9a2cd", processItem).run(x) ...'
 */
export function instrumentSource(
  text: string,
  sourceFile: ts.SourceFile,
  sites: readonly CallSite[],
  options: InstrumentOptions = {},
): string {
  const edits: Edit[] = [];
  for (const site of sites) {
    const start = site.target.getStart(sourceFile);
    edits.push({ pos: start, end: start, text: `${MARK}(${JSON.stringify(site.id)}, ` });
    edits.push({ pos: site.target.end, end: site.target.end, text: ")" });
  }
  if (options.rebase) {
    for (const literal of moduleSpecifiers(sourceFile)) {
      const next = options.rebase(literal.text);
      if (next === undefined || next === literal.text) continue;
      const quote = literal.getText(sourceFile).charAt(0);
      edits.push({ pos: literal.getStart(sourceFile), end: literal.end, text: `${quote}${next}${quote}` });
    }
  }
  // Back to front, so earlier positions stay valid; at one position the later edit goes first.
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => b.edit.pos - a.edit.pos || b.index - a.index);
  let out = text;
  for (const { edit } of ordered) out = out.slice(0, edit.pos) + edit.text + out.slice(edit.end);
  if (sites.length === 0) return out;
  return `${out}${out.endsWith("\n") ? "" : "\n"}${MARK_IMPORT}\n`;
}
