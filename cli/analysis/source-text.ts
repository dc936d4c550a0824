// The two ways the analysis reads a piece of code: normalized (for hashes, so formatting and
// comments never change an id) and shortened (for labels people read on the canvas).
import ts from "typescript";

/** Longest label drawn on the canvas before it is cut with an ellipsis. */
export const MAX_LABEL_LENGTH = 80;

const CLOSERS = new Set([
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
]);

function isJsDoc(node: ts.Node): boolean {
  return node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode;
}

/** The tokens of `node` in source order (comments are trivia, so they never appear). */
function tokens(node: ts.Node, sourceFile: ts.SourceFile, out: ts.Node[]): ts.Node[] {
  if (isJsDoc(node)) return out;
  const children = node.getChildren(sourceFile);
  if (children.length === 0) {
    if (node.kind !== ts.SyntaxKind.EndOfFileToken && node.kind !== ts.SyntaxKind.SyntaxList) out.push(node);
    return out;
  }
  for (const child of children) tokens(child, sourceFile, out);
  return out;
}

function isWordLike(text: string): boolean {
  return /^[\w$]/.test(text) || /[\w$]$/.test(text);
}

/**
 * The code of `node` with comments, whitespace, quote style and trailing commas taken out, so a
 * formatter's pass leaves it unchanged. Words stay apart (`new Date()` is not `newDate()`).
 * @example normalizedText(parse("f({\n  a: 'x', // note\n})")) // 'f({a:"x"})'
 */
export function normalizedText(node: ts.Node, sourceFile: ts.SourceFile): string {
  const list = tokens(node, sourceFile, []);
  let text = "";
  let previous = "";
  list.forEach((token, i) => {
    // A trailing comma is formatting, not meaning.
    if (token.kind === ts.SyntaxKind.CommaToken && CLOSERS.has(list[i + 1]?.kind ?? ts.SyntaxKind.Unknown)) return;
    const piece = ts.isStringLiteral(token) ? JSON.stringify(token.text) : token.getText(sourceFile);
    if (previous !== "" && isWordLike(previous.slice(-1)) && isWordLike(piece.slice(0, 1))) text += " ";
    text += piece;
    previous = piece;
  });
  return text;
}

/**
 * The code of `node` as written, on one line and cut at MAX_LABEL_LENGTH.
 * @example labelText(call) // "processItem.run(item)"
 */
export function labelText(node: ts.Node, sourceFile: ts.SourceFile): string {
  const text = node.getText(sourceFile).replace(/\s+/g, " ").replace(/\(\s/g, "(").replace(/\s\)/g, ")");
  return text.length > MAX_LABEL_LENGTH ? `${text.slice(0, MAX_LABEL_LENGTH - 1)}…` : text;
}

/** The 1-based line where `node` starts. */
export function lineOf(node: ts.Node, sourceFile: ts.SourceFile): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}
