// Workflows: what each does, its input, recent runs and failure rate, and a form to start one.
import type { WorkflowDefinition } from "../../../../sdk/workflow-types.ts";
import { describeWorkflow } from "../../routes/workflows.ts";
import { Badge, Layout, useBasePath } from "../layout.tsx";
import { SchemaForm } from "../schema-form.tsx";

export interface WorkflowStats {
  total: number;
  failed: number;
  recent: { runId: string; status: string }[];
}

export function HomePage(props: {
  workflows: WorkflowDefinition[];
  stats: Map<string, WorkflowStats>;
  nonce: string;
  csrf: string;
  error?: string;
}) {
  const base = useBasePath();
  return (
    <Layout title="Workflows" nonce={props.nonce} section="workflows">
      <div class="page-head">
        <h1>Workflows</h1>
        <span class="muted small">{props.workflows.length}</span>
      </div>
      {props.error ? <p class="err card notice bad">{props.error}</p> : null}
      {props.workflows.length === 0 ? (
        <div class="card empty">
          <strong>No workflows registered</strong>
          Add one under <code>workflows/</code> and run <code>cairn generate</code> (or <code>npm start</code>).
        </div>
      ) : null}
      <div class="grid">
        {props.workflows.map((workflow) => {
          const info = describeWorkflow(workflow);
          const stats = props.stats.get(workflow.slug);
          const rate = stats?.total ? Math.round((stats.failed / stats.total) * 100) : 0;
          return (
            <section class="card" data-testid={`workflow-${workflow.slug}`}>
              <div class="row">
                <a href={`${base}/ui/workflows/${workflow.slug}`}>
                  <strong>{info.name}</strong>
                </a>
                <code class="muted">{info.slug}</code>
                {info.subscribable ? <span class="badge">subscribable</span> : null}
              </div>
              <p class="muted small">{info.description ?? ""}</p>
              <p class="muted">
                <a href={`${base}/ui/runs?workflow=${workflow.slug}`}>{stats?.total ?? 0} recent runs</a> · {rate}%
                failed{" "}
                {(stats?.recent ?? []).slice(0, 5).map((r) => (
                  <a href={`${base}/ui/runs/${r.runId}`} title={r.runId}>
                    <Badge status={r.status} />{" "}
                  </a>
                ))}
              </p>
              <details>
                <summary class="muted small">Start a run</summary>
                <SchemaForm slug={workflow.slug} schema={info.input} csrf={props.csrf} />
              </details>
            </section>
          );
        })}
      </div>
    </Layout>
  );
}
