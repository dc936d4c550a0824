// GET /ui/runs/:runId/steps/:stepId: one step's details, the fragment the run page's side panel
// shows (and fetches again while the run changes).
import type { UiContext } from "./security.ts";
import { StepDetails } from "./components/step-details.tsx";
import { page } from "./render.tsx";
import { loadRun } from "./run-data.ts";

export async function stepFragment(c: UiContext) {
  const data = await loadRun(c.env, c.req.param("runId") ?? "");
  const stepId = c.req.param("stepId") ?? "";
  const step = data?.run.steps.find((s) => s.id === stepId);
  if (!data || !step) return c.html(`<p class="muted">No step ${escapeHtml(stepId)} in this run.</p>`, 404);
  const hook = data.run.hooks.find((h) => h.id === stepId);
  return page(
    c,
    <StepDetails
      runId={data.run.runId}
      runStatus={data.run.status}
      step={step}
      spans={(data.run.trace ?? []).filter((span) => span.stepId === stepId)}
      site={data.siteOf[stepId]}
      input={data.inputOf[stepId]}
      hasInput={stepId in data.inputOf}
      hook={hook}
      csrf={c.get("csrf")}
    />,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
