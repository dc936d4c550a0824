// An error as people read it: name, code and message up top, the stack as lines with the
// workflow's own frames set apart from the runtime's, and a word on source maps.
import type { SerializedError } from "../../../../sdk/engine/events.ts";

/** Frames from the runtime, the bundler or node_modules: dimmed so the user's frames stand out. */
const INTERNAL = /node_modules|node:internal|\(native\)|<anonymous>|cloudflare:|\/sdk\/engine\/|\/src\/run\//;

export function ErrorView(props: { error: SerializedError; testId?: string }) {
  const { error } = props;
  const code = (error as { code?: unknown }).code;
  const lines = (error.stack ?? "")
    .split("\n")
    .slice(1)
    .map((line) => line.trim())
    .filter(Boolean);
  return (
    <div class="error-view" data-testid={props.testId}>
      <div class="row">
        <strong class="err">{error.name}</strong>
        {code === undefined ? null : <code class="badge s-failed">{String(code)}</code>}
      </div>
      <p class="error-msg">{error.message}</p>
      {lines.length ? (
        <details>
          <summary class="muted small">
            Stack ({lines.length} frames) <code>{lines[0]}</code>
          </summary>
          <ol class="stack">
            {lines.map((line) => (
              <li class={INTERNAL.test(line) ? "internal" : "own"}>{line}</li>
            ))}
          </ol>
          <p class="muted small">
            Frames as the Worker reported them: no source map is available to the runtime, so paths point into the
            deployed bundle (run <code>wrangler dev</code> to see source paths).
          </p>
        </details>
      ) : (
        <p class="muted small">No stack was recorded.</p>
      )}
    </div>
  );
}
