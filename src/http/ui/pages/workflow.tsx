// One workflow: what it does, its canvas (drawn from the code), pause/resume, its queues per key,
// recent runs, and a form to start a run.
import type { WorkflowDefinition } from "../../../../sdk/workflow-types.ts";
import type { WorkflowGraph } from "../../../../sdk/workflow-graph.ts";
import { describeWorkflow } from "../../routes/workflows.ts";
import { Canvas } from "../components/canvas.tsx";
import { Time } from "../format.tsx";
import { Badge, Layout, useBasePath } from "../layout.tsx";
import type { RunsPageData } from "../runs-data.ts";
import { SchemaForm } from "../schema-form.tsx";
import type { KeyQueue, PauseState } from "../workflow-state.ts";
import { RunRows } from "./runs-rows.tsx";

function PauseForm(props: { slug: string; state: PauseState; csrf: string }) {
  const base = useBasePath();
  const action = `${base}/ui/workflows/${props.slug}/${props.state.paused ? "resume" : "pause"}`;
  return (
    <form
      method="post"
      action={action}
      class="row"
      data-confirm={
        props.state.paused
          ? `Resume ${props.slug}? Runs queued while paused start in the order they arrived.`
          : `Pause ${props.slug}? New runs are accepted and wait as queued until you resume.`
      }
    >
      <input type="hidden" name="_csrf" value={props.csrf} />
      {props.state.paused ? null : <input type="text" name="reason" placeholder="Reason (optional)" maxlength={1000} />}
      <button type="submit" class={props.state.paused ? "" : "ghost"} data-testid="pause-toggle">
        {props.state.paused ? "Resume workflow" : "Pause workflow"}
      </button>
    </form>
  );
}

/** Flow control's queues per key: what executes and what waits (decision 0020). */
function QueueTable(props: { slug: string; queues: KeyQueue[] }) {
  const base = useBasePath();
  if (props.queues.length === 0) return null;
  return (
    <section>
      <h2>Queues</h2>
      <div class="table-wrap">
        <table data-testid="queues">
          <thead>
            <tr>
              <th>Key</th>
              <th>Running</th>
              <th>Queued</th>
            </tr>
          </thead>
          <tbody>
            {props.queues.map((q) => (
              <tr>
                <td>
                  <code>{q.key || "(whole workflow)"}</code>
                </td>
                <td>{q.running}</td>
                <td>
                  {q.queued > 0 ? (
                    <a href={`${base}/ui/runs?workflow=${props.slug}&status=queued`}>{q.queued}</a>
                  ) : (
                    q.queued
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function WorkflowPage(props: {
  workflow: WorkflowDefinition;
  graph?: WorkflowGraph;
  paused: PauseState;
  queues: KeyQueue[];
  recent: RunsPageData;
  nonce: string;
  csrf: string;
}) {
  const base = useBasePath();
  const info = describeWorkflow(props.workflow);
  const total = Object.values(props.recent.counts).reduce((sum, n) => sum + n, 0);
  return (
    <Layout title={info.name} nonce={props.nonce} section="workflows">
      <div class="page-head">
        <h1>{info.name}</h1>
        <code class="muted">{info.slug}</code>
        {props.paused.paused ? <Badge status="paused" /> : null}
        <span class="spacer" />
        <a class="button ghost" href={`${base}/ui/runs?workflow=${info.slug}`}>
          {total} runs →
        </a>
      </div>
      {info.description ? <p class="muted">{info.description}</p> : null}
      {props.paused.paused ? (
        <p class="card notice small">
          Paused
          {props.paused.pausedAt ? (
            <>
              {" "}
              since <Time at={props.paused.pausedAt} relative />
            </>
          ) : null}
          {props.paused.reason ? `: ${props.paused.reason}` : ""}. New runs wait as queued.
        </p>
      ) : null}
      <PauseForm slug={info.slug} state={props.paused} csrf={props.csrf} />
      <QueueTable slug={info.slug} queues={props.queues} />
      <h2>Canvas</h2>
      <Canvas graph={props.graph} />
      <div class="cols">
        <section>
          <h2>Recent runs</h2>
          <div class="table-wrap">
            <table>
              <RunRows runs={props.recent.runs} />
            </table>
            {props.recent.runs.length ? null : (
              <div class="empty">
                <strong>No runs yet</strong>Start one with the form.
              </div>
            )}
          </div>
        </section>
        <section>
          <h2>Start a run</h2>
          <div class="card">
            <SchemaForm slug={info.slug} schema={info.input} csrf={props.csrf} />
            <details>
              <summary class="muted small">Input schema</summary>
              <pre>{JSON.stringify(info.input, null, 2)}</pre>
            </details>
          </div>
        </section>
      </div>
    </Layout>
  );
}
