// The dashboard's operations (POST forms, each with its CSRF token): start, cancel with a reason,
// retry (from a step), rerun with edited input, resume a hook, pause/resume a workflow, and
// trigger switches. Each calls the JSON API (api-call.ts) and goes back to the page it changed.
import { Hono } from "hono";
import type { RunView } from "../../run/run-view.ts";
import { isRunId } from "../../run/ids.ts";
import { registry } from "../../run/registry.ts";
import { runStub } from "../../run/start-run.ts";
import { callApi } from "./api-call.ts";
import { bulkRoutes } from "./bulk-routes.tsx";
import { HomePage } from "./pages/home.tsx";
import { renderRun } from "./page-routes.tsx";
import { page } from "./render.tsx";
import { inputFromForm } from "./schema-form.tsx";
import { form } from "./form.ts";
import { type UiContext, type UiEnv, uiRoot } from "./security.ts";

const forbidden = (c: UiContext) =>
  c.text("Forbidden: the form's CSRF token is missing or stale; reload the page.", 403);

/** An API refusal as one line: its message and code. */
const refusal = (body: { error?: { code: string; message: string } }) =>
  body.error ? `${body.error.message} (${body.error.code})` : "the operation failed";

/** Runs one operation on a run and goes to the run it leads to (a retry's or rerun's new run). */
async function runOperation(c: UiContext, op: "cancel" | "retry" | "rerun") {
  const runId = c.req.param("runId") ?? "";
  const fields = await form(c);
  if (!fields || !isRunId(runId)) return forbidden(c);
  const body: Record<string, unknown> = {};
  if (fields.reason?.trim() && op !== "rerun") body.reason = fields.reason.trim();
  if (fields.fromStep && op === "retry") body.fromStep = fields.fromStep;
  if (op === "rerun" && fields.input !== undefined) {
    try {
      body.input = JSON.parse(fields.input);
    } catch {
      return renderRun(c, runId, "The edited input is not valid JSON; nothing started.");
    }
  }
  const answer = await callApi(c, "POST", `/runs/${runId}/${op}`, body);
  if (answer.status >= 400) return renderRun(c, runId, refusal(answer.body));
  const next = op === "cancel" ? runId : String(answer.body.runId);
  return c.redirect(`${uiRoot(c)}/runs/${next}`, 303);
}

export const actionRoutes = new Hono<UiEnv>()
  .route("/", bulkRoutes)
  .post("/workflows/:slug/start", async (c) => {
    const workflow = registry.workflows.get(c.req.param("slug"));
    const fields = await form(c);
    if (!workflow || !fields) return forbidden(c);
    let input: unknown;
    try {
      input = inputFromForm(fields);
    } catch {
      input = undefined;
    }
    const answer = await callApi(c, "POST", `/workflows/${workflow.slug}`, input);
    if (answer.status >= 400) {
      const issues = JSON.stringify((answer.body.error as { issues?: unknown } | undefined)?.issues ?? "");
      return page(
        c,
        <HomePage
          workflows={[workflow]}
          stats={new Map()}
          nonce={c.get("nonce")}
          csrf={c.get("csrf")}
          error={`${refusal(answer.body)} ${issues}`}
        />,
        400,
      );
    }
    return c.redirect(`${uiRoot(c)}/runs/${String(answer.body.runId)}`, 303);
  })
  .post("/workflows/:slug/:op{pause|resume}", async (c) => {
    const slug = c.req.param("slug");
    const fields = await form(c);
    if (!fields || !registry.workflows.has(slug)) return forbidden(c);
    const reason = fields.reason?.trim();
    const answer = await callApi(c, "POST", `/workflows/${slug}/${c.req.param("op")}`, reason ? { reason } : {});
    if (answer.status >= 400) return c.text(refusal(answer.body), 409);
    return c.redirect(`${uiRoot(c)}/workflows/${slug}`, 303);
  })
  .post("/triggers/:slug/:op{enable|disable|invoke}", async (c) => {
    const fields = await form(c);
    if (!fields) return forbidden(c);
    const answer = await callApi(c, "POST", `/triggers/${c.req.param("slug")}/${c.req.param("op")}`, {});
    const back = fields.back === "schedules" ? "schedules" : "triggers";
    if (answer.status >= 400) return c.text(refusal(answer.body), 409);
    return c.redirect(`${uiRoot(c)}/${back}`, 303);
  })
  .post("/runs/:runId/cancel", (c) => runOperation(c, "cancel"))
  .post("/runs/:runId/retry", (c) => runOperation(c, "retry"))
  .post("/runs/:runId/rerun", (c) => runOperation(c, "rerun"))
  .post("/runs/:runId/hooks/:hookId", async (c) => {
    const runId = c.req.param("runId");
    const fields = await form(c);
    if (!fields || !isRunId(runId)) return forbidden(c);
    const stub = runStub(c.env, runId);
    const run = (await stub.get({ showTokens: true })) as { value?: RunView };
    const hook = run.value?.hooks.find((h) => h.id === c.req.param("hookId"));
    if (!hook?.token) return renderRun(c, runId, "That hook is no longer waiting.");
    let payload: unknown;
    try {
      payload = JSON.parse(fields.payload || "{}");
    } catch {
      return renderRun(c, runId, "The payload is not valid JSON.");
    }
    const resumed = (await stub.resumeHook(hook.token, payload, "body")) as {
      ok: boolean;
      error?: { message: string };
    };
    return resumed.ok ? c.redirect(`${uiRoot(c)}/runs/${runId}`, 303) : renderRun(c, runId, resumed.error?.message);
  });
