// One run: status and timing, the step waterfall (attempts, retries and their errors, sleeps and
// hook waits on one time axis), input/output/error, open hooks with a resume form, the raw log.
import type { RunEvent } from "../../../../sdk/engine/events.ts";
import type { RunView } from "../../../run/run-view.ts";
import type { Span } from "../../../run/trace.ts";
import { ago, Badge, Layout, took, useBasePath } from "../layout.tsx";

function Waterfall(props: { spans: Span[]; end: number }) {
  if (props.spans.length === 0) return <p class="muted">No steps yet.</p>;
  const start = Math.min(...props.spans.map((s) => s.start));
  const end = Math.max(props.end, ...props.spans.map((s) => s.end ?? props.end));
  const width = Math.max(1, end - start);
  const lanes = new Map<string, Span[]>();
  for (const span of props.spans) lanes.set(span.stepId, [...(lanes.get(span.stepId) ?? []), span]);
  return (
    <div class="timeline" data-testid="timeline">
      {[...lanes.entries()].map(([stepId, spans]) => (
        <div class="lane">
          <div class="name" title={stepId} style={`padding-left:${(stepId.split("/").length - 1) * 12}px`}>
            {stepId}
          </div>
          <div class="track">
            {spans.map((span) => {
              const left = ((span.start - start) / width) * 100;
              const barWidth = (((span.end ?? props.end) - span.start) / width) * 100;
              const label = `${span.stepId}${span.attempt ? ` attempt ${span.attempt}` : ""}: ${span.status}${span.error ? ` — ${span.error.name}: ${span.error.message}` : ""}`;
              return (
                <div
                  class={`bar ${span.kind} ${span.status}`}
                  style={`left:${left}%;width:${barWidth}%`}
                  title={label}
                  data-status={span.status}
                />
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}

function Json(props: { label: string; value: unknown; id: string }) {
  return (
    <section class="card">
      <div class="row">
        <strong>{props.label}</strong>
        <button type="button" class="ghost copy" data-copy={props.id}>
          Copy
        </button>
      </div>
      <pre id={props.id}>{JSON.stringify(props.value, null, 2)}</pre>
    </section>
  );
}

const SCRIPT = `
for (const button of document.querySelectorAll("button.copy")) {
  button.addEventListener("click", () => navigator.clipboard?.writeText(document.getElementById(button.dataset.copy).textContent));
}
const live = document.body.querySelector("[data-live]");
if (live) {
  const source = new EventSource(live.dataset.live);
  let timer;
  const refresh = () => { clearTimeout(timer); timer = setTimeout(() => location.reload(), 150); };
  for (const type of ${JSON.stringify(["step_started", "step_completed", "step_retrying", "step_failed", "sleep_started", "sleep_completed", "hook_created", "hook_resumed", "hook_timed_out", "run_completed", "run_failed", "run_canceled"])}) source.addEventListener(type, refresh);
}`;

export function RunPage(props: {
  run: RunView & { trace?: Span[] };
  events: RunEvent[];
  nonce: string;
  csrf: string;
  notice?: string;
}) {
  const base = useBasePath();
  const { run } = props;
  const finished = ["success", "failed", "canceled"].includes(run.status);
  const errors = run.steps.flatMap((s) => (s.errors ?? []).map((e) => ({ step: s.id, ...e })));
  return (
    <Layout title={run.workflow} nonce={props.nonce} script={SCRIPT}>
      <div
        data-live={finished ? undefined : `${base}/runs/${run.runId}/events?follow=1&after=${props.events.length}`}
      />
      <div class="row">
        <h1>{run.workflow}</h1>
        <span data-testid="run-status">
          <Badge status={run.status} />
        </span>
      </div>
      <p class="muted mono">{run.runId}</p>
      {props.notice ? <p class="card">{props.notice}</p> : null}
      <p class="muted">
        Started {ago(run.createdAt)} by {run.trigger.source ?? run.trigger.type}
        {run.finishedAt ? ` · took ${took(run.createdAt, run.finishedAt)}` : ""}
        {run.wakeAt ? ` · wakes at ${run.wakeAt}` : ""}
        {run.usage.inputTokens ? ` · ${run.usage.inputTokens} in / ${run.usage.outputTokens} out tokens` : ""}
      </p>
      {!finished ? (
        <form method="post" action={`${base}/ui/runs/${run.runId}/cancel`}>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <button type="submit" class="danger" data-testid="cancel">
            Cancel run
          </button>
        </form>
      ) : null}
      {run.hooks.map((hook) => (
        <section class="card" data-testid={`hook-${hook.id}`}>
          <strong>Waiting on {hook.id}</strong>
          {hook.timeoutAt ? <span class="muted"> · times out at {hook.timeoutAt}</span> : null}
          <form method="post" action={`${base}/ui/runs/${run.runId}/hooks/${encodeURIComponent(hook.id)}`}>
            <input type="hidden" name="_csrf" value={props.csrf} />
            <label for={`payload-${hook.id}`}>Resume with (JSON)</label>
            <textarea id={`payload-${hook.id}`} name="payload">
              {"{}"}
            </textarea>
            <button type="submit">Resume</button>
          </form>
        </section>
      ))}
      <h2>Timeline</h2>
      <Waterfall spans={run.trace ?? []} end={run.finishedAt ? Date.parse(run.finishedAt) : Date.now()} />
      {errors.length ? (
        <>
          <h2>Errors</h2>
          <table data-testid="errors">
            <tbody>
              {errors.map((e) => (
                <tr>
                  <td class="mono">{e.step}</td>
                  <td>attempt {e.attempt}</td>
                  <td class="err">
                    {e.error.name}: {e.error.message}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h2>Data</h2>
      <Json label="Input" value={run.input} id="input" />
      {run.output !== undefined ? <Json label="Output" value={run.output} id="output" /> : null}
      {run.error ? <Json label="Error" value={run.error} id="error" /> : null}
      <details class="card">
        <summary>Event log ({props.events.length})</summary>
        <pre>{props.events.map((e) => JSON.stringify(e)).join("\n")}</pre>
      </details>
    </Layout>
  );
}
