// Bulk actions: how many runs the filter matches before anything happens, then the job's progress
// (re-read every second in place until it completes).
import { Layout, useBasePath } from "../layout.tsx";

type BulkRequest = { action: string; filter: Record<string, string | number>; reason?: string };

export function BulkConfirmPage(props: { request: BulkRequest; count: number; nonce: string; csrf: string }) {
  const base = useBasePath();
  const { request } = props;
  const described = Object.entries(request.filter)
    .map(([k, v]) => `${k} ${k === "since" ? new Date(Number(v)).toISOString() : v}`)
    .join(" · ");
  return (
    <Layout title="Bulk action" nonce={props.nonce} section="runs">
      <section class="card" data-testid="bulk-confirm">
        <h1>
          {request.action} {props.count} run{props.count === 1 ? "" : "s"}?
        </h1>
        <p class="muted">Matching: {described || "every run"}.</p>
        {props.count === 0 ? (
          <p>Nothing to do.</p>
        ) : (
          <form method="post" action={`${base}/ui/runs/bulk/confirm`}>
            <input type="hidden" name="_csrf" value={props.csrf} />
            <input type="hidden" name="action" value={request.action} />
            {Object.entries(request.filter).map(([key, value]) => (
              <input type="hidden" name={key} value={String(value)} />
            ))}
            {request.reason ? <input type="hidden" name="reason" value={request.reason} /> : null}
            <div class="actions">
              <button type="submit" class={request.action === "cancel" ? "danger" : ""} data-testid="bulk-confirm-go">
                Yes, {request.action} {props.count} runs
              </button>
              <a class="button ghost" href={`${base}/ui/runs`}>
                Back
              </a>
            </div>
          </form>
        )}
      </section>
    </Layout>
  );
}

const PROGRESS_SCRIPT = `
const region = document.querySelector('[data-region="bulk"]');
const tick = async () => {
  if (region.dataset.status !== "running") return;
  const res = await fetch(location.pathname, { headers: { accept: "text/html" } });
  const fresh = new DOMParser().parseFromString(await res.text(), "text/html").querySelector('[data-region="bulk"]');
  if (fresh) { region.innerHTML = fresh.innerHTML; region.dataset.status = fresh.dataset.status; }
  setTimeout(tick, 1000);
};
setTimeout(tick, 1000);
`;

export function BulkProgressPage(props: { job: Record<string, unknown>; nonce: string }) {
  const { job } = props;
  const count = Number(job.count ?? 0);
  const done = Number(job.done ?? 0);
  const failed = Number(job.failed ?? 0);
  return (
    <Layout title="Bulk action" nonce={props.nonce} section="runs" script={PROGRESS_SCRIPT}>
      <section class="card" data-region="bulk" data-status={String(job.status)} data-testid="bulk-progress">
        <h1>
          Bulk {String(job.action)} · {String(job.status)}
        </h1>
        <progress max={count || 1} value={done + failed} />
        <p>
          {done} done · {failed} failed · {count} matched
        </p>
        <p class="muted small mono">{String(job.bulkId)}</p>
      </section>
    </Layout>
  );
}
