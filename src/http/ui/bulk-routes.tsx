// Bulk actions on the runs list's filter: POST /ui/runs/bulk counts first (the API's dryRun) and
// asks to confirm; the confirmation starts the job; GET /ui/bulk/:bulkId shows its progress.
import { Hono } from "hono";
import { callApi } from "./api-call.ts";
import { form } from "./form.ts";
import { BulkConfirmPage, BulkProgressPage } from "./pages/bulk.tsx";
import { page } from "./render.tsx";
import { WINDOWS } from "./runs-data.ts";
import { type UiContext, type UiEnv, uiRoot } from "./security.ts";

const ACTIONS = ["cancel", "retry", "rerun"] as const;

/** The bulk request a form describes (the list's filter, the action and a reason). */
function bulkRequest(fields: Record<string, string>) {
  const action = ACTIONS.find((a) => a === fields.action);
  if (!action) return undefined;
  const filter: Record<string, string | number> = {};
  for (const key of ["workflow", "status", "trigger"] as const) if (fields[key]) filter[key] = fields[key];
  const window = fields.window ? WINDOWS[fields.window] : undefined;
  // The window is fixed once, at the count: the confirmation acts on the same time range.
  const since = fields.since ? Number(fields.since) : window ? Date.now() - window.ms : undefined;
  if (since !== undefined && Number.isFinite(since)) filter.since = since;
  return { action, filter, ...(fields.reason?.trim() ? { reason: fields.reason.trim() } : {}) };
}

function unavailable(c: UiContext, status: number, body: { error?: { code: string; message: string } }) {
  const message =
    status === 404 && body.error?.code === "not_found"
      ? "Bulk operations are not available on this runtime."
      : (body.error?.message ?? "the bulk operation failed");
  return c.text(message, status === 404 ? 404 : 409);
}

export const bulkRoutes = new Hono<UiEnv>()
  .post("/runs/bulk", async (c) => {
    const fields = await form(c);
    const request = fields && bulkRequest(fields);
    if (!request) return c.text("Forbidden", 403);
    const answer = await callApi(c, "POST", "/runs/bulk", { ...request, dryRun: true });
    if (answer.status >= 400) return unavailable(c, answer.status, answer.body);
    return page(
      c,
      <BulkConfirmPage
        request={request}
        count={Number(answer.body.count ?? 0)}
        nonce={c.get("nonce")}
        csrf={c.get("csrf")}
      />,
    );
  })
  .post("/runs/bulk/confirm", async (c) => {
    const fields = await form(c);
    const request = fields && bulkRequest(fields);
    if (!request) return c.text("Forbidden", 403);
    const answer = await callApi(c, "POST", "/runs/bulk", request);
    if (answer.status >= 400) return unavailable(c, answer.status, answer.body);
    return c.redirect(`${uiRoot(c)}/bulk/${encodeURIComponent(String(answer.body.bulkId))}`, 303);
  })
  .get("/bulk/:bulkId", async (c) => {
    const answer = await callApi(c, "GET", `/runs/bulk/${encodeURIComponent(c.req.param("bulkId"))}`);
    if (answer.status >= 400) return unavailable(c, answer.status, answer.body);
    return page(c, <BulkProgressPage job={answer.body} nonce={c.get("nonce")} />);
  });
