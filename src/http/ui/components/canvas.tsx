// The workflow canvas: the graph `cairn generate` drew from the code (sequence, if/switch arms,
// loops, literal Promise.all side by side, computed fan-outs as one block). On a run's page each
// step node is lit with the run's status for the steps recorded at that call site.
import type { GraphNode, WorkflowGraph } from "../../../../sdk/workflow-graph.ts";

/** What a run did at one call site: the most telling status and how many steps it made there. */
export interface SiteLight {
  status: string;
  count: number;
  stepIds: string[];
}

type Lights = Record<string, SiteLight>;

/** A step's status as the canvas shows it: sleeps and hooks count as waiting. */
function canvasStatus(status: string): string {
  if (status === "sleeping" || status === "waiting_on_hook") return "waiting";
  if (status === "timed_out") return "failed";
  return status;
}

// Where occurrences at one site disagree, the canvas shows what needs attention first.
const PRIORITY = ["failed", "retrying", "running", "waiting", "completed", "canceled"];

/**
 * Lights per call site from a run's steps. `siteOf` maps a step id to its recorded `site`
 * (`<siteId>#<n>`); steps recorded without one (before call-site ids) fall back to the step's name
 * when exactly one node of the graph has that name.
 */
export function lightsFor(
  graph: WorkflowGraph,
  steps: readonly { id: string; name: string; status: string }[],
  siteOf: Record<string, string>,
): Lights {
  const byName = new Map<string, string[]>();
  const visit = (node: GraphNode): void => {
    if (node.type === "step") byName.set(node.name, [...(byName.get(node.name) ?? []), node.site]);
    else if (node.type === "sequence") node.children.forEach(visit);
    else if (node.type === "branch") for (const arm of node.arms) visit(arm.body);
    else if (node.type === "parallel") node.branches.forEach(visit);
    else visit(node.body);
  };
  visit(graph.root);
  const lights: Lights = {};
  for (const step of steps) {
    const recorded = siteOf[step.id];
    const candidates = byName.get(step.name);
    const site = recorded
      ? recorded.slice(0, recorded.lastIndexOf("#"))
      : candidates?.length === 1
        ? candidates[0]
        : undefined;
    if (!site) continue;
    const status = canvasStatus(step.status);
    const light = lights[site] ?? { status, count: 0, stepIds: [] };
    if (PRIORITY.indexOf(status) < PRIORITY.indexOf(light.status)) light.status = status;
    light.count++;
    light.stepIds.push(step.id);
    lights[site] = light;
  }
  return lights;
}

function Node(props: { node: GraphNode; lights?: Lights }) {
  const { node, lights } = props;
  switch (node.type) {
    case "step": {
      const light = lights?.[node.site];
      return (
        <div
          class={`cv-step${light ? ` st-${light.status}` : ""}`}
          data-site={node.site}
          data-status={light?.status}
          data-open-step={light?.stepIds.at(-1)}
          title={`${node.label} · line ${node.line}${light ? ` · ${light.status}` : ""}`}
        >
          <span class="k">{node.kind}</span>
          <span class="n">{node.name}</span>
          <span class="x">
            {light ? `${light.status}${light.count > 1 ? ` ×${light.count}` : ""}` : `line ${node.line}`}
          </span>
        </div>
      );
    }
    case "sequence":
      return (
        <div class="cv-seq">
          {node.children.map((child) => (
            <Node node={child} lights={lights} />
          ))}
        </div>
      );
    case "branch":
      return (
        <div class="cv-box" data-node="branch">
          <span class="cv-tag">
            {node.kind} {node.label}
          </span>
          <div class="cv-row">
            {node.arms.map((arm) => (
              <div class="cv-arm">
                <span class="cv-tag">{arm.label}</span>
                <Node node={arm.body} lights={lights} />
              </div>
            ))}
          </div>
        </div>
      );
    case "parallel":
      return (
        <div class="cv-box" data-node="parallel">
          <span class="cv-tag">{node.label}</span>
          <div class="cv-row">
            {node.branches.map((branch) => (
              <div class="cv-arm">
                <Node node={branch} lights={lights} />
              </div>
            ))}
          </div>
        </div>
      );
    case "loop":
      return (
        <div class="cv-box" data-node="loop">
          <span class="cv-tag">
            ↻ {node.kind} {node.label}
          </span>
          <Node node={node.body} lights={lights} />
        </div>
      );
    case "fan-out":
      return (
        <div class="cv-box cv-fan" data-node="fan-out">
          <span class="cv-tag">⇉ {node.label} (each element)</span>
          <Node node={node.body} lights={lights} />
        </div>
      );
  }
}

/** The canvas of `graph`, lit with `lights` on a run's page; an empty state without a graph. */
export function Canvas(props: { graph?: WorkflowGraph; lights?: Lights; region?: boolean }) {
  return (
    <section class="canvas" data-testid="canvas" data-region={props.region ? "canvas" : undefined}>
      {props.graph ? (
        <Node node={props.graph.root} lights={props.lights} />
      ) : (
        <div class="empty" data-testid="graph-unavailable">
          <strong>No canvas for this workflow yet</strong>
          Run <code>cairn generate</code> (it runs on every <code>wrangler dev</code> and deploy) to draw it from the
          code.
        </div>
      )}
    </section>
  );
}
