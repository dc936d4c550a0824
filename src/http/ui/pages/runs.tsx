// The run history: status filters and a table that refreshes itself while runs are live.
import { ago, Badge, Layout, took, useBasePath } from "../layout.tsx";

const STATUSES = ["queued", "running", "sleeping", "waiting_on_hook", "success", "failed", "canceled"];

export interface RunRowView {
  runId: string;
  workflow: string;
  status: string;
  trigger: { type: string; source?: string };
  createdAt: string;
  finishedAt?: string;
}

export function RunsPage(props: {
  runs: RunRowView[];
  counts: Record<string, number>;
  status?: string;
  workflow?: string;
  search?: string;
  nonce: string;
}) {
  const base = useBasePath();
  const live = props.runs.some((r) => !["success", "failed", "canceled"].includes(r.status));
  return (
    <Layout title="Runs" nonce={props.nonce} script={live ? "setTimeout(() => location.reload(), 2000);" : undefined}>
      <h1>Runs{props.workflow ? ` of ${props.workflow}` : ""}</h1>
      <p class="row filters">
        <a class={props.status ? "" : "on"} href={`${base}/ui/runs`}>
          all
        </a>
        {STATUSES.map((s) => (
          <a class={props.status === s ? "on" : ""} href={`${base}/ui/runs?status=${s}`}>
            {s.replaceAll("_", " ")} {props.counts[s] ? `(${props.counts[s]})` : ""}
          </a>
        ))}
      </p>
      <form method="get" action={`${base}/ui/runs`} class="row">
        <input type="text" name="q" placeholder="Search by run id" value={props.search ?? ""} style="max-width:20rem" />
        <select name="since">
          <option value="">any time</option>
          <option value="3600000">last hour</option>
          <option value="86400000">last day</option>
          <option value="604800000">last week</option>
        </select>
        <button type="submit" class="ghost">
          Filter
        </button>
      </form>
      <table data-testid="runs-table">
        <thead>
          <tr>
            <th>Run</th>
            <th>Workflow</th>
            <th>Status</th>
            <th>Trigger</th>
            <th>Started</th>
            <th>Took</th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => (
            <tr>
              <td>
                <a class="mono" href={`${base}/ui/runs/${run.runId}`}>
                  {run.runId.slice(0, 16)}…
                </a>
              </td>
              <td>{run.workflow}</td>
              <td>
                <Badge status={run.status} />
              </td>
              <td>{run.trigger.source ?? run.trigger.type}</td>
              <td>{ago(run.createdAt)}</td>
              <td>{took(run.createdAt, run.finishedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
