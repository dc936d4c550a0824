// The shape of a workflow drawn from its code (`GET /workflows/:slug/graph`): `cairn generate`
// analyses each workflow file and the dashboard's canvas draws the result.

/** What a call site does. `patch` is a `ctx.patched("id")` check. */
export type GraphStepKind = "action" | "workflow" | "agent" | "llm" | "sleep" | "hook" | "patch" | "step";

/**
 * A node of the canvas. Steps are leaves; the rest hold the code's control structure. Lists are
 * readonly so that the `as const` literal `cairn generate` writes is a WorkflowGraph as is.
 */
export type GraphNode =
  | {
      type: "step";
      /** The stable call-site id recorded on the run's step events (`site` field, `<id>#<n>`). */
      site: string;
      kind: GraphStepKind;
      /** The step's name as runs record it (an action's slug, `sleep`, `hook`, `llm`, ...). */
      name: string;
      /** The call as written, shortened (`processItem.run(item)`). */
      label: string;
      /** 1-based line of the call in the workflow file. */
      line: number;
    }
  | { type: "sequence"; children: readonly GraphNode[] }
  /**
   * `if`/`else if`/`else` (one arm per condition), `switch` (one per clause), or `try`/`catch`
   * (arms `try` and `catch (error)`: the catch arm runs when the try arm throws).
   */
  | {
      type: "branch";
      kind: "if" | "switch" | "try";
      label: string;
      arms: readonly { label: string; body: GraphNode }[];
    }
  | { type: "loop"; kind: "for-of" | "for" | "while"; label: string; body: GraphNode }
  /** A literal `Promise.all([a.run(), b.run()])` (or `allSettled`/`race`): side-by-side branches. */
  | { type: "parallel"; label: string; branches: readonly GraphNode[] }
  /** A computed `Promise.all(xs.map(...))`: one opaque block holding what each element runs. */
  | { type: "fan-out"; label: string; body: GraphNode };

/** One workflow's graph, as `cairn generate` writes it into `cairn.gen.ts` (`graphs`). */
export interface WorkflowGraph {
  slug: string;
  /** The workflow file, relative to the folder `cairn generate` scanned. */
  file: string;
  /** A hash of the workflow's structure (its call sites and control flow): runs record it. */
  version: string;
  root: GraphNode;
}

/** The step nodes of a graph, in code order (depth first). */
export function graphSteps(node: GraphNode): Extract<GraphNode, { type: "step" }>[] {
  switch (node.type) {
    case "step":
      return [node];
    case "sequence":
      return node.children.flatMap(graphSteps);
    case "branch":
      return node.arms.flatMap((arm) => graphSteps(arm.body));
    case "parallel":
      return node.branches.flatMap(graphSteps);
    case "loop":
    case "fan-out":
      return graphSteps(node.body);
  }
}
