// One run: its header and operations, open hooks, the waterfall, the canvas lit with the run's
// steps, input and output, and the step panel. Live runs follow their event stream and patch the
// changed regions in place (client/run.ts).
import { RunEventSchema } from "../../../../sdk/engine/events.ts";
import { isFinishedStatus } from "../../../../sdk/engine/run-status.ts";
import type { WorkflowGraph } from "../../../../sdk/workflow-graph.ts";
import { runScript } from "../client/run.ts";
import { Canvas, lightsFor } from "../components/canvas.tsx";
import { Copy, JsonBlock } from "../components/copy.tsx";
import { ErrorView } from "../components/error-view.tsx";
import { RunDialogs, RunHead } from "../components/run-head.tsx";
import { Waterfall, WaterfallTools } from "../components/waterfall.tsx";
import { Time } from "../format.tsx";
import { Layout, useBasePath } from "../layout.tsx";
import type { RunPageData } from "../run-data.ts";

/** Every event type the live stream can carry (each arrives as its own SSE event name). */
const EVENT_TYPES = RunEventSchema.options.map((option) => option.shape.type.value).join(",");

function Hooks(props: { data: RunPageData; csrf: string }) {
  const base = useBasePath();
  const { run } = props.data;
  return (
    <div data-region="hooks">
      {run.hooks.map((hook) => (
        <section class="card" data-testid={`hook-${hook.id}`}>
          <div class="row">
            <strong>Waiting on {hook.id}</strong>
            {hook.timeoutAt ? (
              <span class="muted small">
                times out <Time at={hook.timeoutAt} relative />
              </span>
            ) : null}
            {hook.resumeUrl ? <Copy value={hook.resumeUrl} label="Copy resume URL" /> : null}
          </div>
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
    </div>
  );
}

export function RunPage(props: {
  data: RunPageData;
  graph?: WorkflowGraph;
  nonce: string;
  csrf: string;
  notice?: string;
}) {
  const base = useBasePath();
  const { run, eventCount } = props.data;
  const finished = isFinishedStatus(run.status);
  const now = Date.now();
  const retryAt = Object.fromEntries(run.steps.flatMap((s) => (s.retryAt ? [[s.id, Date.parse(s.retryAt)]] : [])));
  const start = Date.parse(run.startedAt ?? run.createdAt ?? "") || now;
  const spansStart = Math.min(start, ...(run.trace ?? []).map((s) => s.start));
  return (
    <Layout title={`${run.workflow} · ${run.runId.slice(0, 12)}`} nonce={props.nonce} section="runs" script={runScript}>
      {finished ? null : (
        <div
          hidden
          data-live={`${base}/runs/${run.runId}/events?follow=1&after=${eventCount}`}
          data-types={EVENT_TYPES}
        />
      )}
      <RunHead data={props.data} notice={props.notice} />
      <RunDialogs data={props.data} csrf={props.csrf} />
      <Hooks data={props.data} csrf={props.csrf} />
      <h2>Timeline</h2>
      <WaterfallTools />
      <Waterfall
        spans={run.trace ?? []}
        start={spansStart}
        end={run.finishedAt ? Date.parse(run.finishedAt) : undefined}
        now={now}
        retryAt={retryAt}
      />
      <div class="legend">
        <span>
          <i class="l-ok" />
          completed
        </span>
        <span>
          <i class="l-bad" />
          failed
        </span>
        <span>
          <i class="l-warn" />
          retried attempt
        </span>
        <span>
          <i class="l-gap" />
          backoff
        </span>
        <span>
          <i class="l-run" />
          running
        </span>
        <span>
          <i class="l-wait" />
          sleep / hook
        </span>
        <span>Click a step for its details.</span>
      </div>
      {props.graph ? (
        <>
          <h2>Canvas</h2>
          <Canvas graph={props.graph} lights={lightsFor(props.graph, run.steps, props.data.siteOf)} region />
        </>
      ) : null}
      <h2>Data</h2>
      <div class="cols" data-region="data">
        <div class="card">
          <JsonBlock label="Input" value={run.input} id="input" />
        </div>
        <div class="card">
          {run.output !== undefined ? (
            <JsonBlock label="Output" value={run.output} id="output" />
          ) : run.error ? (
            <>
              <h3>Error</h3>
              <ErrorView error={run.error} testId="run-error" />
            </>
          ) : (
            <p class="muted small">No output yet.</p>
          )}
        </div>
      </div>
      <p class="muted small" data-region="events">
        {eventCount} events in the log ·{" "}
        <a href={`${base}/runs/${run.runId}/events?limit=1000`} target="_blank" rel="noopener">
          raw event log (JSON, paged)
        </a>
      </p>
      <aside id="step-drawer" class="drawer" hidden aria-label="Step details">
        <button type="button" class="icon-btn close" data-drawer-close aria-label="Close">
          ✕
        </button>
        <div data-drawer-body />
      </aside>
    </Layout>
  );
}
