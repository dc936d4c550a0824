// A step's details (the run page's side panel): status and timing, input, output, error, every
// attempt with its times, the backoff between them and its error, logs, and retry-from-here.
import type { RunView } from "../../../run/run-view.ts";
import type { Span } from "../../../run/trace.ts";
import { between, formatDuration, Time } from "../format.tsx";
import { useBasePath } from "../layout.tsx";
import { Copy, JsonBlock } from "./copy.tsx";
import { ErrorView } from "./error-view.tsx";

type Step = RunView["steps"][number] & {
  logs?: { attempt?: number; level: string; at: number | string; message: string }[];
};

function Attempts(props: { spans: Span[] }) {
  const attempts = props.spans.filter((s) => s.kind === "attempt" || s.kind === "workflow" || s.kind === "agent");
  if (attempts.length === 0) return null;
  return (
    <>
      <h3>Attempts</h3>
      <ol class="attempts" data-testid="attempts">
        {attempts.map((span, i) => {
          const previous = attempts[i - 1];
          return (
            <li>
              {previous?.end !== undefined ? (
                <div class="muted small backoff">waited {formatDuration(span.start - previous.end)} (backoff)</div>
              ) : null}
              <div class="row">
                <strong>#{span.attempt ?? i + 1}</strong>
                <span class={`badge s-${span.status}`}>{span.status}</span>
                <Time at={span.start} />
                <span class="muted">{span.end === undefined ? "running" : formatDuration(span.end - span.start)}</span>
              </div>
              {span.error ? (
                <div class="err small">
                  {span.error.name}: {span.error.message}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}

function Logs(props: { logs: NonNullable<Step["logs"]> }) {
  return (
    <>
      <h3>Logs</h3>
      {props.logs.length === 0 ? (
        <p class="muted small">This step logged nothing.</p>
      ) : (
        <ol class="logs" data-testid="step-logs">
          {props.logs.map((log) => (
            <li class={`log-${log.level}`}>
              <Time at={log.at} /> <span class="lvl">{log.level}</span>
              {log.attempt ? <span class="muted"> #{log.attempt}</span> : null} <span class="msg">{log.message}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

export function StepDetails(props: {
  runId: string;
  runStatus: string;
  step: Step;
  spans: Span[];
  site?: string;
  /** The input the step's first attempt recorded (only small inputs are kept). */
  input?: unknown;
  hasInput?: boolean;
  hook?: { resumeUrl?: string; timeoutAt?: string };
  csrf: string;
}) {
  const base = useBasePath();
  const { step } = props;
  const retryable = props.runStatus === "failed" || props.runStatus === "canceled";
  const id = step.id.replace(/[^A-Za-z0-9_-]/g, "_");
  return (
    <article class="step-details" data-testid="step-details" data-step={step.id}>
      <header class="row">
        <h2 class="mono">{step.id}</h2>
        <Copy value={step.id} label="Copy id" />
        <span class={`badge s-${step.status}`}>{step.status.replaceAll("_", " ")}</span>
      </header>
      <dl class="kv">
        <dt>Kind</dt>
        <dd>
          {step.kind} · <code>{step.name}</code>
        </dd>
        {props.site ? (
          <>
            <dt>Call site</dt>
            <dd>
              <code>{props.site}</code>
            </dd>
          </>
        ) : null}
        <dt>Started</dt>
        <dd>
          <Time at={step.startedAt} />
        </dd>
        <dt>Ended</dt>
        <dd>{step.endedAt ? <Time at={step.endedAt} /> : <span class="muted">not yet</span>}</dd>
        <dt>Duration</dt>
        <dd>{between(step.startedAt, step.endedAt) || "—"} (every attempt and backoff)</dd>
        <dt>Attempts</dt>
        <dd>{step.attempts}</dd>
        {step.retryAt ? (
          <>
            <dt>Next attempt</dt>
            <dd>
              <Time at={step.retryAt} />
            </dd>
          </>
        ) : null}
        {step.wakeAt ? (
          <>
            <dt>Wakes</dt>
            <dd>
              <Time at={step.wakeAt} />
            </dd>
          </>
        ) : null}
      </dl>
      {props.hook?.resumeUrl ? (
        <p class="row small">
          <span class="muted">Resume URL</span> <code class="ellipsis">{props.hook.resumeUrl}</code>
          <Copy value={props.hook.resumeUrl} />
        </p>
      ) : null}
      {props.hasInput ? (
        <JsonBlock label="Input" value={props.input} id={`in-${id}`} />
      ) : (
        <>
          <h3>Input</h3>
          <p class="muted small" data-testid="step-input">
            Not recorded: the log keeps a hash of this step's input (large inputs, and steps recorded before inputs were
            kept), not the input itself.
          </p>
        </>
      )}
      {step.output !== undefined ? <JsonBlock label="Output" value={step.output} id={`out-${id}`} /> : null}
      {step.error ? (
        <>
          <h3>Error</h3>
          <ErrorView error={step.error} testId="step-error" />
        </>
      ) : null}
      <Attempts spans={props.spans} />
      {step.logs ? <Logs logs={step.logs} /> : null}
      {retryable && step.kind !== "sleep" && step.kind !== "hook" ? (
        <form
          method="post"
          action={`${base}/ui/runs/${props.runId}/retry`}
          class="retry-here"
          data-confirm={`Start a new run that re-executes ${step.id} and everything after it?`}
        >
          <input type="hidden" name="_csrf" value={props.csrf} />
          <input type="hidden" name="fromStep" value={step.id} />
          <button type="submit" class="ghost" data-testid="retry-from-step">
            Retry from this step
          </button>
          <span class="muted small"> A new run replays what came before and runs this step again.</span>
        </form>
      ) : null}
    </article>
  );
}
