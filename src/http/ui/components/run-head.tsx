// The top of a run's page: workflow, status, id, timing and origin, why it is blocked or queued,
// and the operations (cancel with a reason, retry, rerun with edited input) behind confirmations.
import { isFinishedStatus } from "../../../../sdk/engine/run-status.ts";
import { between, Time } from "../format.tsx";
import { Badge, useBasePath } from "../layout.tsx";
import type { RunPageData } from "../run-data.ts";
import { Copy } from "./copy.tsx";
import { DialogActions } from "./dialog-actions.tsx";

/** A run's recorded code version: a string, or an object of ids (deployment, structure hash). */
function versionText(version: unknown): string {
  if (typeof version !== "object" || version === null) return String(version);
  return Object.values(version)
    .filter((v) => typeof v === "string" || typeof v === "number")
    .join(" · ");
}

function Reasons(props: { data: RunPageData }) {
  const { run, blocked } = props.data;
  return (
    <>
      {blocked ? (
        <section class="card reason" data-testid="blocked-reason">
          <strong>Blocked{blocked.code ? ` (${blocked.code})` : ""}</strong>
          <p>{blocked.message}</p>
          {blocked.stepId ? (
            <p class="small">
              Step <code>{blocked.stepId}</code>
              {blocked.site ? (
                <>
                  {" "}
                  at call site <code>{blocked.site}</code>
                </>
              ) : null}
            </p>
          ) : null}
          {blocked.diff?.length ? <pre>{blocked.diff.join("\n")}</pre> : null}
          <p class="muted small">
            The run holds its timers and hooks and continues by itself once code that replays it cleanly is deployed, or
            on retry.
          </p>
        </section>
      ) : null}
      {run.queue ? (
        <section class="card reason queue" data-testid="queue-reason">
          <strong>Queued: {run.queue.reason}</strong>
          {run.queue.key ? (
            <span class="muted">
              {" "}
              · key <code>{run.queue.key}</code>
            </span>
          ) : null}
          {run.queue.since !== undefined ? (
            <span class="muted">
              {" "}
              · since <Time at={run.queue.since} relative />
            </span>
          ) : null}
        </section>
      ) : null}
      {run.error ? null : run.cancelReason ? <p class="card notice small">Canceled: {run.cancelReason}</p> : null}
    </>
  );
}

export function RunHead(props: { data: RunPageData; notice?: string }) {
  const base = useBasePath();
  const { run } = props.data;
  const finished = isFinishedStatus(run.status);
  const retryable = run.status === "failed" || run.status === "canceled" || run.status === "blocked";
  return (
    <div data-region="head">
      <div class="page-head">
        <h1>
          <a href={`${base}/ui/workflows/${run.workflow}`}>{run.workflow}</a>
        </h1>
        <span data-testid="run-status">
          <Badge status={run.status} />
        </span>
        <span class="spacer" />
        <div class="actions">
          {retryable ? (
            <button type="button" data-dialog="retry-dialog" data-testid="retry">
              Retry
            </button>
          ) : null}
          {finished ? (
            <button type="button" class="ghost" data-dialog="rerun-dialog" data-testid="rerun">
              Rerun
            </button>
          ) : null}
          {!finished ? (
            <button type="button" class="danger" data-dialog="cancel-dialog" data-testid="cancel">
              Cancel run
            </button>
          ) : null}
        </div>
      </div>
      {props.notice ? <p class="card notice bad">{props.notice}</p> : null}
      <div class="run-meta">
        <span class="row">
          <code data-testid="run-id">{run.runId}</code>
          <Copy value={run.runId} label="Copy id" />
        </span>
        <span>
          Started <Time at={run.createdAt} relative />
        </span>
        <span>
          by <b>{run.trigger.source ?? run.trigger.type}</b>
        </span>
        {run.finishedAt ? (
          <span>
            took <b>{between(run.createdAt, run.finishedAt)}</b>
          </span>
        ) : null}
        {run.wakeAt ? (
          <span>
            wakes <Time at={run.wakeAt} relative />
          </span>
        ) : null}
        {run.usage.inputTokens ? (
          <span>
            {run.usage.inputTokens} in / {run.usage.outputTokens} out tokens
          </span>
        ) : null}
        {"version" in run && run.version ? (
          <span>
            version <code>{versionText(run.version)}</code>
          </span>
        ) : null}
        {run.retryOf ? (
          <span data-testid="retry-of">
            retry of <a href={`${base}/ui/runs/${run.retryOf}`}>{run.retryOf.slice(0, 12)}…</a>
          </span>
        ) : null}
        {run.rerunOf ? (
          <span>
            rerun of <a href={`${base}/ui/runs/${run.rerunOf}`}>{run.rerunOf.slice(0, 12)}…</a>
          </span>
        ) : null}
        {(run.retriedBy ?? []).map((id) => (
          <span data-testid="retried-by">
            retried by <a href={`${base}/ui/runs/${id}`}>{id.slice(0, 12)}…</a>
          </span>
        ))}
      </div>
      <Reasons data={props.data} />
    </div>
  );
}

/** The confirmation dialogs of the run's operations (outside the live region: typing survives). */
export function RunDialogs(props: { data: RunPageData; csrf: string }) {
  const base = useBasePath();
  const { run } = props.data;
  const action = (op: string) => `${base}/ui/runs/${run.runId}/${op}`;
  return (
    <>
      <dialog id="cancel-dialog">
        <form method="post" action={action("cancel")}>
          <h2>Cancel this run?</h2>
          <p class="muted small">Steps in flight are abandoned; the run ends as canceled.</p>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label for="cancel-reason">Reason (kept in the run's log)</label>
          <input id="cancel-reason" type="text" name="reason" maxlength={1000} />
          <DialogActions submit="Cancel run" submitTestId="confirm-cancel" danger close="Keep running" />
        </form>
      </dialog>
      <dialog id="retry-dialog">
        <form method="post" action={action("retry")}>
          <h2>Retry this run?</h2>
          <p class="muted small">
            A new run replays this one: completed steps return their recorded results; execution resumes at the step
            that failed. To re-run from an earlier step, open it in the timeline.
          </p>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label for="retry-reason">Reason (optional)</label>
          <input id="retry-reason" type="text" name="reason" maxlength={1000} />
          <DialogActions submit="Retry run" submitTestId="confirm-retry" />
        </form>
      </dialog>
      <dialog id="rerun-dialog">
        <form method="post" action={action("rerun")}>
          <h2>Rerun with this input?</h2>
          <p class="muted small">A fresh run of the workflow, linked to this one. Edit the input first if needed.</p>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label for="rerun-input">Input (JSON)</label>
          <textarea id="rerun-input" name="input">
            {JSON.stringify(run.input ?? null, null, 2)}
          </textarea>
          <DialogActions submit="Start rerun" submitTestId="confirm-rerun" />
        </form>
      </dialog>
    </>
  );
}
