// The rows of the runs list and the status chips with their counts: rendered into the page, and
// alone (GET /ui/runs/rows) for "Load more" and for the live updates that patch rows in place.
import { RUN_STATUSES } from "../../../../sdk/engine/run-status.ts";
import type { ListedRun } from "../../../history/index-object.ts";
import { between, Time } from "../format.tsx";
import { Badge, useBasePath } from "../layout.tsx";
import { filterQuery, type RunsFilter } from "../runs-data.ts";

export function RunRow(props: { run: ListedRun }) {
  const base = useBasePath();
  const { run } = props;
  return (
    <tr data-run-id={run.runId} data-status={run.status} data-nav="run">
      <td>
        <a class="mono" href={`${base}/ui/runs/${run.runId}`} title={run.runId}>
          {run.runId.slice(4, 16)}
        </a>
      </td>
      <td>{run.workflow}</td>
      <td>
        <Badge status={run.status} />
      </td>
      <td class="hide-sm">{run.trigger.source ?? run.trigger.type}</td>
      <td>
        <Time at={run.createdAt} relative />
      </td>
      <td class="hide-sm muted">{run.finishedAt ? between(run.createdAt, run.finishedAt) : ""}</td>
    </tr>
  );
}

export function RunRows(props: { runs: readonly ListedRun[]; next?: string }) {
  return (
    <tbody id="runs-body" data-next={props.next ?? ""}>
      {props.runs.map((run) => (
        <RunRow run={run} />
      ))}
    </tbody>
  );
}

/** Status chips with counts; each keeps the other filters. The counts ignore the status filter. */
export function StatusChips(props: { filter: RunsFilter; counts: Record<string, number> }) {
  const base = useBasePath();
  const total = Object.values(props.counts).reduce((sum, n) => sum + n, 0);
  // Statuses the history knows beyond RUN_STATUSES (added later) still get a chip.
  const statuses = [...new Set([...RUN_STATUSES, ...Object.keys(props.counts)])];
  return (
    <div class="chips" data-region="counts" data-testid="status-counts">
      <a
        class={`chip${props.filter.status ? "" : " on"}`}
        href={`${base}/ui/runs${filterQuery(props.filter, { status: undefined })}`}
      >
        all <span class="n">{total}</span>
      </a>
      {statuses.map((status) => (
        <a
          class={`chip${props.filter.status === status ? " on" : ""}`}
          data-status={status}
          href={`${base}/ui/runs${filterQuery(props.filter, { status })}`}
        >
          <span class={`badge s-${status}`}>{status.replaceAll("_", " ")}</span>
          <span class="n">{props.counts[status] ?? 0}</span>
        </a>
      ))}
    </div>
  );
}
