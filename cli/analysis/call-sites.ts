// The step call sites of a workflow's `run` body and their stable ids. An id hashes the workflow's
// slug, the call's kind, its callee and its arguments (normalized), and how many identical calls
// come before it, so adding, removing or moving OTHER calls never changes it.
import ts from "typescript";
import type { GraphStepKind } from "../../sdk/workflow-graph.ts";
import type { Bindings } from "./definitions.ts";
import { shortHash } from "./hash.ts";
import type { FoundWorkflow } from "./parse-workflow.ts";
import { labelText, lineOf, normalizedText } from "./source-text.ts";

/** One step call in a workflow's code. */
export interface CallSite {
  /** 8 base-36 characters, stable across edits elsewhere in the file. */
  id: string;
  kind: GraphStepKind;
  /**
   * The step name runs record: a definition's slug, `sleep`, `hook`, `llm`, a patch's id, or the
   * callee text when the analysis could not resolve it.
   */
  name: string;
  call: ts.CallExpression;
  /** What the instrumentation wraps: `processItem` in `processItem.run(x)`, `ctx`, `promptLlm`. */
  target: ts.Expression;
  label: string;
  line: number;
}

/** The `ctx` methods that are steps, and the kind each records. */
const CONTEXT_STEPS: Record<string, GraphStepKind> = { sleep: "sleep", hook: "hook", patched: "patch" };

/** A call's kind, name, the callee text its id hashes, and the target the instrumentation wraps. */
interface Classified {
  kind: GraphStepKind;
  name: string;
  callee: string;
  target: ts.Expression;
}

function lookup(target: ts.Expression, bindings: Bindings) {
  if (ts.isIdentifier(target)) {
    const binding = bindings.get(target.text);
    return binding?.type === "definition" ? binding.definition : undefined;
  }
  if (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression)) {
    const binding = bindings.get(target.expression.text);
    return binding?.type === "namespace" ? binding.members.get(target.name.text) : undefined;
  }
  return undefined;
}

function classify(
  call: ts.CallExpression,
  workflow: FoundWorkflow,
  bindings: Bindings,
  sourceFile: ts.SourceFile,
): Classified | undefined {
  const callee = call.expression;
  if (call.questionDotToken) return undefined;
  if (ts.isIdentifier(callee)) {
    // The canonical name, so renaming the import does not change ids.
    if (bindings.get(callee.text)?.type === "llm")
      return { kind: "llm", name: "llm", callee: "promptLlm", target: callee };
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(callee) || callee.questionDotToken) return undefined;
  const method = callee.name.text;
  const object = callee.expression;
  if (workflow.ctxName !== undefined && ts.isIdentifier(object) && object.text === workflow.ctxName) {
    const kind = CONTEXT_STEPS[method];
    // `ctx`, whatever the parameter is called, so renaming it does not change ids.
    if (!kind) return undefined;
    // A patch step is named by its id (`ctx.patched("v2-discount")` records name "v2-discount").
    const [patchId] = call.arguments;
    const name = kind !== "patch" ? method : patchId && ts.isStringLiteralLike(patchId) ? patchId.text : "patch";
    return { kind, name, callee: `ctx.${method}`, target: object };
  }
  if (method !== "run" && method !== "prompt") return undefined;
  const definition = lookup(object, bindings);
  const text = normalizedText(callee, sourceFile);
  if (definition) return { kind: definition.kind, name: definition.slug, callee: text, target: object };
  return { kind: "step", name: normalizedText(object, sourceFile), callee: text, target: object };
}

/** Calls under `node` in source order, outer calls before the calls in their arguments. */
function eachCall(node: ts.Node, visit: (call: ts.CallExpression) => void): void {
  if (ts.isCallExpression(node)) visit(node);
  ts.forEachChild(node, (child) => eachCall(child, visit));
}

/**
 * Every step call site in `workflow.run`'s body, in source order, with its id. Calls in helper
 * functions outside the body are not sites: they keep per-name ids at run time.
 * @example findCallSites(workflow, sourceFile, bindings)[0] // { id: "k3f9a2cd", kind: "action", name: "process-item", ... }
 */
export function findCallSites(workflow: FoundWorkflow, sourceFile: ts.SourceFile, bindings: Bindings): CallSite[] {
  const sites: CallSite[] = [];
  const seen = new Map<string, number>();
  eachCall(workflow.run.body, (call) => {
    const found = classify(call, workflow, bindings, sourceFile);
    if (!found) return;
    const args = call.arguments.map((argument) => normalizedText(argument, sourceFile)).join(",");
    const key = [workflow.slug, found.kind, found.callee, args].join("\0");
    // Two identical calls differ only by how many identical calls come before them.
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    sites.push({
      id: shortHash([workflow.slug, found.kind, found.callee, args, String(ordinal)]),
      kind: found.kind,
      name: found.name,
      call,
      target: found.target,
      label: labelText(call, sourceFile),
      line: lineOf(call, sourceFile),
    });
  });
  return sites;
}
