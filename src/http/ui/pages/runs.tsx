// The run history: filters that combine (workflow, status, trigger, time window, run id, an input
// field), counts per status, pages of any length, rows kept live in place, and bulk actions on the
// current filter (count first, then progress).
import { runsScript } from "../client/runs.ts";
import { DialogActions } from "../components/dialog-actions.tsx";
import { Layout, useBasePath } from "../layout.tsx";
import { type RunsFilter, type RunsPageData, WINDOWS } from "../runs-data.ts";
import { RunRows, StatusChips } from "./runs-rows.tsx";

const TRIGGERS = ["api", "cron", "webhook", "poll", "retry", "subscription", "workflow"];

function Filters(props: { filter: RunsFilter; workflows: string[] }) {
  const base = useBasePath();
  const { filter } = props;
  return (
    <form method="get" action={`${base}/ui/runs`} class="filters card" data-testid="filters">
      {filter.status ? <input type="hidden" name="status" value={filter.status} /> : null}
      <div>
        <label for="f-workflow">Workflow</label>
        <select id="f-workflow" name="workflow" data-autosubmit>
          <option value="">all workflows</option>
          {props.workflows.map((slug) => (
            <option value={slug} selected={filter.workflow === slug}>
              {slug}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-trigger">Trigger</label>
        <select id="f-trigger" name="trigger" data-autosubmit>
          <option value="">any trigger</option>
          {[...new Set([...TRIGGERS, ...(filter.trigger ? [filter.trigger] : [])])].map((t) => (
            <option value={t} selected={filter.trigger === t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-window">Started</label>
        <select id="f-window" name="window" data-autosubmit>
          <option value="">any time</option>
          {Object.entries(WINDOWS).map(([key, w]) => (
            <option value={key} selected={filter.window === key}>
              {w.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="f-q">Run id</label>
        <input id="f-q" type="search" name="q" placeholder="run_3f2a…" value={filter.q ?? ""} autocomplete="off" />
      </div>
      <div>
        <label for="f-input">Input field</label>
        <input
          id="f-input"
          type="search"
          name="input"
          placeholder="customer.email=ada@example.com"
          value={filter.input ?? ""}
          autocomplete="off"
        />
      </div>
      <div class="filter-go">
        <button type="submit" class="ghost">
          Apply
        </button>
        <a class="small" href={`${base}/ui/runs`}>
          Clear
        </a>
      </div>
    </form>
  );
}

function BulkDialog(props: { filter: RunsFilter; csrf: string }) {
  const base = useBasePath();
  const { filter } = props;
  const unsupported = filter.q || filter.input;
  return (
    <dialog id="bulk-dialog">
      <form method="post" action={`${base}/ui/runs/bulk`}>
        <h2>Bulk action on this filter</h2>
        <input type="hidden" name="_csrf" value={props.csrf} />
        {(["workflow", "status", "trigger", "window"] as const).map((key) =>
          filter[key] ? <input type="hidden" name={key} value={filter[key]} /> : null,
        )}
        <p class="muted small">
          Applies to every run matching: {filter.workflow ?? "all workflows"} · {filter.status ?? "any status"} ·{" "}
          {filter.trigger ?? "any trigger"} · {filter.window ? WINDOWS[filter.window]?.label : "any time"}.
          {unsupported ? " (The run-id and input searches do not narrow a bulk action.)" : ""}
        </p>
        <label for="bulk-action">Action</label>
        <select id="bulk-action" name="action">
          <option value="cancel">Cancel live runs</option>
          <option value="retry">Retry failed or canceled runs</option>
          <option value="rerun">Rerun with the same input</option>
        </select>
        <label for="bulk-reason">Reason (kept in each run's log)</label>
        <input id="bulk-reason" type="text" name="reason" maxlength={1000} />
        <DialogActions submit="Count matching runs…" submitTestId="bulk-count" />
      </form>
    </dialog>
  );
}

export function RunsPage(props: {
  data: RunsPageData;
  filter: RunsFilter;
  workflows: string[];
  nonce: string;
  csrf: string;
}) {
  const { data, filter } = props;
  const filtered = Object.values(filter).some(Boolean);
  return (
    <Layout title="Runs" nonce={props.nonce} section="runs" script={runsScript}>
      <div class="page-head">
        <h1>Runs</h1>
        <span class="muted small">
          <span data-shown>{data.runs.length}</span> shown
        </span>
        <span class="spacer" />
        <button type="button" class="ghost" data-dialog="bulk-dialog" data-testid="bulk">
          Bulk action…
        </button>
      </div>
      <StatusChips filter={filter} counts={data.counts} />
      <Filters filter={filter} workflows={props.workflows} />
      {filter.input ? (
        <p class="muted small">
          Input search read {data.scanned ?? 0} runs for this page (at most 300 per page); counts above do not apply it.
        </p>
      ) : null}
      <div class="table-wrap">
        <table data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Workflow</th>
              <th>Status</th>
              <th class="hide-sm">Trigger</th>
              <th>Started</th>
              <th class="hide-sm">Took</th>
            </tr>
          </thead>
          <RunRows runs={data.runs} next={data.next} />
        </table>
        <div class="empty" id="empty-runs" hidden={data.runs.length > 0}>
          <strong>{filtered ? "No runs match these filters" : "No runs yet"}</strong>
          {filtered
            ? "Widen the time window or clear a filter."
            : "Start one from a workflow's page, the API or the CLI."}
        </div>
      </div>
      <div class="load-more">
        <button type="button" class="ghost" id="load-more" data-testid="load-more" hidden={!data.next}>
          Load more
        </button>
      </div>
      <BulkDialog filter={filter} csrf={props.csrf} />
    </Layout>
  );
}
