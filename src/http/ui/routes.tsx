// The dashboard at /ui: server-rendered pages; forms post back here (with a CSRF token) and the
// server calls the same objects the API does.
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import type { RunEvent } from "../../../sdk/engine/events.ts";
import type { Env } from "../../env.ts";
import { listRuns as listHistory } from "../../history/list-runs.ts";
import { isRunId } from "../../run/ids.ts";
import { registry } from "../../run/registry.ts";
import type { RunView } from "../../run/run-view.ts";
import { runStub, startRun } from "../../run/start-run.ts";
import type { Span } from "../../run/trace.ts";
import { HomePage, type WorkflowStats } from "./pages/home.tsx";
import { LoginPage } from "./pages/login.tsx";
import { RunPage } from "./pages/run.tsx";
import { type RunRowView, RunsPage } from "./pages/runs.tsx";
import { inputFromForm } from "./schema-form.tsx";
import { basePathOf, serviceUrl } from "../base-path.ts";
import { assertNotBackingOff, clientIp, keyBackoff } from "../auth-backoff.ts";
import { parseJson, readForm } from "../body.ts";
import { ApiError } from "../errors.ts";
import { BasePath } from "./layout.tsx";
import { csrfOk, dashboardAccess, signIn, type UiContext, type UiEnv, uiHeaders, uiRoot } from "./security.ts";

/** Renders a page with this request's base path in its links (see layout.tsx's BasePath). */
function page(c: UiContext, node: Child, status?: 200 | 400 | 401 | 403) {
  return c.html(<BasePath.Provider value={basePathOf(c)}>{node}</BasePath.Provider>, status);
}

async function listRuns(
  env: Env,
  filter: { workflow?: string; status?: string; search?: string; since?: number; limit: number },
) {
  return (await listHistory(env, filter)) as { runs: RunRowView[]; counts: Record<string, number> };
}

async function workflowStats(env: Env): Promise<Map<string, WorkflowStats>> {
  const { runs } = await listRuns(env, { limit: 500 });
  const stats = new Map<string, WorkflowStats>();
  for (const run of runs) {
    const entry = stats.get(run.workflow) ?? { total: 0, failed: 0, recent: [] };
    entry.total++;
    if (run.status === "failed") entry.failed++;
    entry.recent.push({ runId: run.runId, status: run.status });
    stats.set(run.workflow, entry);
  }
  return stats;
}

async function renderRun(c: UiContext, runId: string, notice?: string) {
  if (!isRunId(runId)) return c.notFound();
  const stub = runStub(c.env, runId);
  const result = (await stub.get({ showTokens: true, includeTrace: true })) as {
    ok: boolean;
    value?: RunView & { trace?: Span[] };
  };
  if (!result.ok || !result.value) return c.notFound();
  const events = ((await stub.events(0, 1000)) as { value?: { events: RunEvent[] } }).value?.events ?? [];
  return page(
    c,
    <RunPage run={result.value} events={events} nonce={c.get("nonce")} csrf={c.get("csrf")} notice={notice} />,
  );
}

/** A form's fields when its CSRF token matches (read within the body limit: a 413 otherwise). */
async function form(c: UiContext): Promise<Record<string, string> | undefined> {
  const body = await readForm(c);
  return csrfOk(c, body._csrf) ? body : undefined;
}

export const uiRoutes = new Hono<UiEnv>()
  .use("*", uiHeaders)
  // Without a key on a public host there is nothing to sign in with: every page says how to set one.
  .use("*", async (c, next) => {
    if (dashboardAccess(c) === "closed")
      return page(c, <LoginPage nonce={c.get("nonce")} csrf={c.get("csrf")} closed />, 403);
    await next();
  })
  .get("/login", (c) => page(c, <LoginPage nonce={c.get("nonce")} csrf={c.get("csrf")} />))
  .post("/login", async (c) => {
    // Checked before the body is read: a client backing off after wrong keys learns nothing more.
    assertNotBackingOff(c);
    const body = await form(c);
    if (body && typeof body.key === "string") {
      if (signIn(c, body.key)) {
        keyBackoff.succeed(clientIp(c));
        return c.redirect(uiRoot(c), 303);
      }
      keyBackoff.fail(clientIp(c), Date.now());
    }
    return page(c, <LoginPage nonce={c.get("nonce")} csrf={c.get("csrf")} failed />, 401);
  })
  .use("*", async (c, next) => {
    if (dashboardAccess(c) === "login") return c.redirect(`${uiRoot(c)}/login`, 303);
    await next();
  })
  .get("/", async (c) => {
    const workflows = [...registry.workflows.values()];
    return page(
      c,
      <HomePage workflows={workflows} stats={await workflowStats(c.env)} nonce={c.get("nonce")} csrf={c.get("csrf")} />,
    );
  })
  .get("/runs", async (c) => {
    const status = c.req.query("status") || undefined;
    const workflow = c.req.query("workflow") || undefined;
    const search = c.req.query("q") || undefined;
    const window = Number(c.req.query("since"));
    const since = Number.isFinite(window) && window > 0 ? Date.now() - window : undefined;
    const { runs, counts } = await listRuns(c.env, { status, workflow, search, since, limit: 100 });
    return page(
      c,
      <RunsPage
        runs={runs}
        counts={counts}
        status={status}
        workflow={workflow}
        search={search}
        nonce={c.get("nonce")}
      />,
    );
  })
  .get("/runs/:runId", (c) => renderRun(c, c.req.param("runId")))
  .post("/workflows/:slug/start", async (c) => {
    const workflow = registry.workflows.get(c.req.param("slug"));
    const body = await form(c);
    if (!workflow || !body) return c.text("Forbidden", 403);
    let input: unknown;
    try {
      input = inputFromForm(body);
    } catch {
      input = undefined;
    }
    const started = await startRun(c.env, workflow, input, {
      trigger: { type: "api", source: "dashboard" },
      origin: serviceUrl(c),
    });
    if (!started.ok) {
      const issues = JSON.stringify(started.error.details ?? "");
      return page(
        c,
        <HomePage
          workflows={[workflow]}
          stats={new Map()}
          nonce={c.get("nonce")}
          csrf={c.get("csrf")}
          error={`${started.error.message} ${issues}`}
        />,
        400,
      );
    }
    return c.redirect(`${uiRoot(c)}/runs/${started.value.runId}`, 303);
  })
  .post("/runs/:runId/cancel", async (c) => {
    const runId = c.req.param("runId");
    if (!(await form(c)) || !isRunId(runId)) return c.text("Forbidden", 403);
    const result = (await runStub(c.env, runId).cancel()) as { ok: boolean; error?: { message: string } };
    return result.ok ? c.redirect(`${uiRoot(c)}/runs/${runId}`, 303) : renderRun(c, runId, result.error?.message);
  })
  .post("/runs/:runId/hooks/:hookId", async (c) => {
    const runId = c.req.param("runId");
    const body = await form(c);
    if (!body || !isRunId(runId)) return c.text("Forbidden", 403);
    const stub = runStub(c.env, runId);
    const run = (await stub.get({ showTokens: true })) as { value?: RunView };
    const hook = run.value?.hooks.find((h) => h.id === c.req.param("hookId"));
    if (!hook?.token) return renderRun(c, runId, "That hook is no longer waiting.");
    let payload: unknown;
    try {
      payload = parseJson(body.payload ?? "{}") ?? {};
    } catch (error) {
      return renderRun(c, runId, error instanceof ApiError ? error.message : "The payload is not valid JSON.");
    }
    const resumed = (await stub.resumeHook(hook.token, payload, "body")) as {
      ok: boolean;
      error?: { message: string };
    };
    return resumed.ok ? c.redirect(`${uiRoot(c)}/runs/${runId}`, 303) : renderRun(c, runId, resumed.error?.message);
  });
