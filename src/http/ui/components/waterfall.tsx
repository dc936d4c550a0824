// The run's waterfall: a lane per step and sub-workflow, each attempt its own bar, the backoff
// between attempts drawn as a gap, sleeps and hook waits as bars. The server writes each bar's
// start and end (epoch ms) as data; the page script lays them out on one time axis, draws the
// ticks, grows running bars and zooms (a style attribute would need 'unsafe-inline').
import type { Span } from "../../../run/trace.ts";
import { formatDuration } from "../format.tsx";

/** One lane: a step id and its spans in time order. */
interface Lane {
  stepId: string;
  depth: number;
  spans: Span[];
}

function lanesOf(spans: readonly Span[]): Lane[] {
  const lanes = new Map<string, Lane>();
  for (const span of spans) {
    const lane = lanes.get(span.stepId) ?? { stepId: span.stepId, depth: span.stepId.split("/").length - 1, spans: [] };
    lane.spans.push(span);
    lanes.set(span.stepId, lane);
  }
  return [...lanes.values()];
}

function label(span: Span, now: number): string {
  const end = span.end ?? now;
  const what = span.kind === "attempt" ? `attempt ${span.attempt}` : span.kind;
  const error = span.error ? ` — ${span.error.name}: ${span.error.message}` : "";
  return `${span.stepId} · ${what} · ${span.status} · ${formatDuration(end - span.start)}${span.end ? "" : " so far"}${error}`;
}

/** A lane's total: from its first start to its last end (every attempt and backoff included). */
function laneTotal(lane: Lane, now: number): number {
  const first = lane.spans[0]?.start ?? now;
  return Math.max(...lane.spans.map((s) => s.end ?? now)) - first;
}

/**
 * The waterfall. `start`: the run's start (epoch ms); `end`: when it finished, or undefined while
 * live (the axis then ends at the viewer's now). `retryAt`: pending backoffs by step id.
 */
export function Waterfall(props: {
  spans: readonly Span[];
  start: number;
  end?: number;
  now: number;
  retryAt: Record<string, number>;
}) {
  const lanes = lanesOf(props.spans);
  return (
    <section
      class="wf"
      data-region="waterfall"
      data-testid="timeline"
      data-t0={String(props.start)}
      data-t1={props.end === undefined ? undefined : String(props.end)}
      data-now={String(props.now)}
    >
      {lanes.length === 0 ? (
        <div class="empty">
          <strong>No steps yet</strong>
          The run's steps appear here as they start.
        </div>
      ) : (
        <div class="wf-body">
          <div class="wf-head">
            <div class="wf-label muted small">Step</div>
            <div class="wf-axis" data-axis />
          </div>
          <div class="wf-lines" data-lines />
          <div class="wf-select" data-select hidden />
          {lanes.map((lane) => (
            <div class="wf-lane" data-step={lane.stepId} tabindex={0} data-nav="step">
              <div class="wf-label">
                <span class={`wf-name d${Math.min(lane.depth, 4)}`} title={lane.stepId}>
                  {lane.stepId}
                </span>
                <span class="wf-dur">{formatDuration(laneTotal(lane, props.now))}</span>
              </div>
              <div class="wf-track">
                {lane.spans.map((span, i) => {
                  const next = lane.spans[i + 1];
                  const gapEnd = next?.start ?? (span.status === "retrying" ? props.retryAt[lane.stepId] : undefined);
                  return (
                    <>
                      <div
                        class={`wf-bar k-${span.kind} st-${span.status}`}
                        data-start={String(span.start)}
                        data-end={span.end === undefined ? undefined : String(span.end)}
                        data-attempt={span.attempt === undefined ? undefined : String(span.attempt)}
                        data-status={span.status}
                        title={label(span, props.now)}
                      />
                      {span.kind === "attempt" && span.end !== undefined && gapEnd !== undefined ? (
                        <div
                          class={`wf-gap${next ? "" : " pending"}`}
                          data-start={String(span.end)}
                          data-end={String(gapEnd)}
                          title={`backoff ${formatDuration(gapEnd - span.end)} before attempt ${(span.attempt ?? 0) + 1}`}
                        />
                      ) : null}
                    </>
                  );
                })}
              </div>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

/** The zoom controls above the waterfall (outside its live region, so a patch keeps them). */
export function WaterfallTools() {
  return (
    <div class="wf-tools row">
      <button type="button" class="icon-btn" data-zoom="in" title="Zoom in (+)" aria-label="Zoom in">
        +
      </button>
      <button type="button" class="icon-btn" data-zoom="out" title="Zoom out (-)" aria-label="Zoom out">
        −
      </button>
      <button type="button" class="icon-btn" data-zoom="reset" title="Whole run (0)">
        Fit
      </button>
      <span class="muted small" data-range />
      <span class="muted small hide-sm">Drag across the bars to zoom into a range.</span>
    </div>
  );
}
