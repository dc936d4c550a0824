// Draws a workflow's `run` body as a graph: steps in sequence, if/else and switch branches,
// loops, literal Promise.all as parallel branches and computed Promise.all(xs.map(fn)) as one
// fan-out block. Only structure holding a step is drawn: plain code between steps is not a node.
import ts from "typescript";
import type { GraphNode, WorkflowGraph } from "../../sdk/workflow-graph.ts";
import type { CallSite } from "./call-sites.ts";
import { shortHash } from "./hash.ts";
import type { FoundWorkflow } from "./parse-workflow.ts";
import { labelText, normalizedText } from "./source-text.ts";

const PROMISE_COMBINATORS = new Set(["all", "allSettled", "race", "any"]);

/** One node for a list: nothing, the node itself, or a sequence. */
function one(nodes: GraphNode[]): GraphNode {
  return nodes.length === 1 ? nodes[0]! : { type: "sequence", children: nodes };
}

/** `Promise.all(...)` and its kin. */
function isPromiseCombinator(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === "Promise" &&
    PROMISE_COMBINATORS.has(callee.name.text)
  );
}

class GraphBuilder {
  private readonly sites: Map<ts.CallExpression, CallSite>;
  /** The normalized text of each structure node's label, for the version hash. */
  readonly shapes = new Map<GraphNode, string>();

  constructor(
    sites: readonly CallSite[],
    private readonly sourceFile: ts.SourceFile,
  ) {
    this.sites = new Map(sites.map((site) => [site.call, site]));
  }

  private label(node: ts.Node): string {
    return labelText(node, this.sourceFile);
  }

  private shaped<N extends GraphNode>(node: N, source: ts.Node | string): N {
    this.shapes.set(node, typeof source === "string" ? source : normalizedText(source, this.sourceFile));
    return node;
  }

  /** The nodes of a function body (block or expression). */
  body(node: ts.Node): GraphNode[] {
    return ts.isBlock(node) ? this.statements(node.statements) : this.expression(node);
  }

  statements(list: readonly ts.Statement[]): GraphNode[] {
    return list.flatMap((statement) => this.statement(statement));
  }

  statement(node: ts.Statement): GraphNode[] {
    if (ts.isBlock(node)) return this.statements(node.statements);
    if (ts.isIfStatement(node)) return this.ifChain(node);
    if (ts.isSwitchStatement(node)) {
      const head = this.expression(node.expression);
      const arms = node.caseBlock.clauses.map((clause) => ({
        label: ts.isCaseClause(clause) ? `case ${this.label(clause.expression)}` : "default",
        body: one(this.statements(clause.statements)),
      }));
      if (!arms.some((arm) => this.hasSteps(arm.body))) return head;
      const branch = { type: "branch" as const, kind: "switch" as const, label: this.label(node.expression), arms };
      const cases = node.caseBlock.clauses.map((clause) =>
        ts.isCaseClause(clause) ? normalizedText(clause.expression, this.sourceFile) : "default",
      );
      return [...head, this.shaped(branch, [normalizedText(node.expression, this.sourceFile), ...cases].join("|"))];
    }
    if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const head = this.expression(node.expression);
      const kind = ts.isForOfStatement(node) ? ("for-of" as const) : ("for" as const);
      const keyword = ts.isForOfStatement(node) ? "of" : "in";
      const label = `${this.label(node.initializer)} ${keyword} ${this.label(node.expression)}`;
      const shape = `${normalizedText(node.initializer, this.sourceFile)} ${keyword} ${normalizedText(node.expression, this.sourceFile)}`;
      return [...head, ...this.loop(kind, label, shape, node.statement)];
    }
    if (ts.isForStatement(node)) {
      const parts = [node.initializer, node.condition, node.incrementor];
      const label = parts.map((part) => (part ? this.label(part) : "")).join("; ");
      const shape = parts.map((part) => (part ? normalizedText(part, this.sourceFile) : "")).join(";");
      const init = node.initializer ? this.expression(node.initializer) : [];
      return [...init, ...this.loop("for", label, shape, node.statement, node.condition, node.incrementor)];
    }
    if (ts.isWhileStatement(node) || ts.isDoStatement(node))
      return this.loop("while", this.label(node.expression), node.expression, node.statement, node.expression);
    if (ts.isTryStatement(node)) return this.tryStatement(node);
    if (ts.isLabeledStatement(node)) return this.statement(node.statement);
    // Declarations, expressions, returns, throws: their steps in evaluation order.
    return this.expression(node);
  }

  private loop(
    kind: "for-of" | "for" | "while",
    label: string,
    shape: ts.Node | string,
    statement: ts.Statement,
    ...each: (ts.Node | undefined)[]
  ): GraphNode[] {
    const body = [...this.statement(statement), ...each.flatMap((part) => (part ? this.expression(part) : []))];
    if (body.length === 0) return [];
    return [this.shaped({ type: "loop", kind, label, body: one(body) }, shape)];
  }

  /** `if / else if / else` as one branch with an arm per condition (and `else` when written). */
  private ifChain(node: ts.IfStatement): GraphNode[] {
    const head = this.expression(node.expression);
    const arms: { label: string; body: GraphNode }[] = [];
    const shapes: string[] = [];
    let current: ts.Statement | undefined = node;
    while (current && ts.isIfStatement(current)) {
      arms.push({ label: this.label(current.expression), body: one(this.statement(current.thenStatement)) });
      shapes.push(normalizedText(current.expression, this.sourceFile));
      current = current.elseStatement;
    }
    if (current) arms.push({ label: "else", body: one(this.statement(current)) });
    if (!arms.some((arm) => this.hasSteps(arm.body))) return head;
    return [
      ...head,
      this.shaped({ type: "branch", kind: "if", label: this.label(node.expression), arms }, shapes.join("|")),
    ];
  }

  /** `try { a } catch { b } finally { c }`: the try and catch bodies as two arms, then finally. */
  private tryStatement(node: ts.TryStatement): GraphNode[] {
    const attempt = this.statements(node.tryBlock.statements);
    const recover = node.catchClause ? this.statements(node.catchClause.block.statements) : [];
    const after = node.finallyBlock ? this.statements(node.finallyBlock.statements) : [];
    if (recover.length === 0) return [...attempt, ...after];
    const catchLabel = node.catchClause?.variableDeclaration
      ? `catch (${this.label(node.catchClause.variableDeclaration)})`
      : "catch";
    const arms = [
      { label: "try", body: one(attempt) },
      { label: catchLabel, body: one(recover) },
    ];
    return [this.shaped({ type: "branch", kind: "try", label: "try", arms }, catchLabel), ...after];
  }

  /** The steps of an expression in evaluation order, with parallel and fan-out blocks. */
  expression(node: ts.Node): GraphNode[] {
    if (ts.isCallExpression(node)) {
      const site = this.sites.get(node);
      if (site) {
        // Arguments are evaluated before the call is made.
        const args = node.arguments.flatMap((argument) => this.expression(argument));
        const step: GraphNode = {
          type: "step",
          site: site.id,
          kind: site.kind,
          name: site.name,
          label: site.label,
          line: site.line,
        };
        return [...args, step];
      }
      if (isPromiseCombinator(node)) return this.combinator(node);
    }
    if (ts.isConditionalExpression(node)) {
      const head = this.expression(node.condition);
      const arms = [
        { label: this.label(node.condition), body: one(this.expression(node.whenTrue)) },
        { label: "else", body: one(this.expression(node.whenFalse)) },
      ];
      if (!arms.some((arm) => this.hasSteps(arm.body))) return head;
      return [
        ...head,
        this.shaped({ type: "branch", kind: "if", label: this.label(node.condition), arms }, node.condition),
      ];
    }
    if (ts.isFunctionLike(node) && "body" in node && node.body) return this.body(node.body);
    const found: GraphNode[] = [];
    ts.forEachChild(node, (child) => {
      found.push(...(ts.isStatement(child) ? this.statement(child) : this.expression(child)));
    });
    return found;
  }

  /** A literal array: one branch per element. Anything computed: one fan-out block. */
  private combinator(node: ts.CallExpression): GraphNode[] {
    const [argument] = node.arguments;
    if (!argument) return [];
    const label = this.label(node.expression);
    if (ts.isArrayLiteralExpression(argument)) {
      const branches = argument.elements.map((element) => one(this.expression(element)));
      if (!branches.some((branch) => this.hasSteps(branch))) return [];
      return [this.shaped({ type: "parallel", label, branches }, node.expression)];
    }
    const body = this.expression(argument);
    if (body.length === 0) return [];
    // `Promise.all(items.map(…))`: the collection reads better than the callback's code.
    const fanOutLabel = ts.isCallExpression(argument)
      ? `${label}(${this.label(argument.expression)}(…))`
      : `${label}(${this.label(argument)})`;
    const collection = ts.isCallExpression(argument) ? argument.expression : argument;
    const shape = `${normalizedText(node.expression, this.sourceFile)}(${normalizedText(collection, this.sourceFile)})`;
    return [this.shaped({ type: "fan-out", label: fanOutLabel, body: one(body) }, shape)];
  }

  hasSteps(node: GraphNode): boolean {
    return node.type !== "sequence" || node.children.some((child) => this.hasSteps(child));
  }
}

/** A stable text of the graph's structure: site ids and control flow, no lines or display labels. */
function shape(node: GraphNode, shapes: Map<GraphNode, string>): string {
  const label = shapes.get(node) ?? "";
  switch (node.type) {
    case "step":
      return `s(${node.site}:${node.kind}:${node.name})`;
    case "sequence":
      return `q(${node.children.map((child) => shape(child, shapes)).join(",")})`;
    case "branch":
      // Arm labels are display text; the branch's shape holds their normalized conditions.
      return `b:${node.kind}:${label}(${node.arms.map((arm) => shape(arm.body, shapes)).join(",")})`;
    case "loop":
      return `l:${node.kind}:${label}(${shape(node.body, shapes)})`;
    case "parallel":
      return `p:${label}(${node.branches.map((branch) => shape(branch, shapes)).join(",")})`;
    case "fan-out":
      return `f:${label}(${shape(node.body, shapes)})`;
  }
}

/**
 * The graph of one workflow from its call sites. `file` is the path shown to people (relative
 * to the folder `cairn generate` scanned).
 * @example buildGraph(workflow, sites, sourceFile, "workflows/orders.ts").root // { type: "sequence", ... }
 */
export function buildGraph(
  workflow: FoundWorkflow,
  sites: readonly CallSite[],
  sourceFile: ts.SourceFile,
  file: string,
): WorkflowGraph {
  const builder = new GraphBuilder(sites, sourceFile);
  const nodes = builder.body(workflow.run.body);
  const root: GraphNode = { type: "sequence", children: nodes };
  return { slug: workflow.slug, file, version: shortHash([workflow.slug, shape(root, builder.shapes)]), root };
}
