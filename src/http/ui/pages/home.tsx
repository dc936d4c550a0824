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
    <Layout title="Workflows" nonce={props.nonce}>
      <h1>Workflows</h1>
      {props.error ? <p class="err card">{props.error}</p> : null}
      <div class="grid">
        {props.workflows.map((workflow) => {
          const info = describeWorkflow(workflow);
          const stats = props.stats.get(workflow.slug);
          const rate = stats?.total ? Math.round((stats.failed / stats.total) * 100) : 0;
          return (
            <section class="card" data-testid={`workflow-${workflow.slug}`}>
              <div class="row">
                <strong>{info.name}</strong>
                <code class="muted">{info.slug}</code>
                {info.subscribable ? <span class="badge">subscribable</span> : null}
              </div>
              <p class="muted">{info.description ?? ""}</p>
              <p class="muted">
                {stats?.total ?? 0} recent runs · {rate}% failed{" "}
                {(stats?.recent ?? []).slice(0, 5).map((r) => (
                  <a href={`${base}/ui/runs/${r.runId}`} title={r.runId}>
                    <Badge status={r.status} />{" "}
                  </a>
                ))}
              </p>
              <details>
                <summary>Input schema</summary>
                <pre>{JSON.stringify(info.input, null, 2)}</pre>
              </details>
              <SchemaForm slug={workflow.slug} schema={info.input} csrf={props.csrf} />
            </section>
          );
        })}
      </div>
    </Layout>
  );
}
