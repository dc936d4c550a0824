// The Hono app: routes, API-key check on management routes, and the one error handler.
import { Hono } from "hono";
import { ConfigError, configErrorResponse, readConfig } from "../config.ts";
import { requireApiKey } from "./auth.ts";
import { type AppEnv, basePathOf, detectBasePath, normalizeBasePath } from "./base-path.ts";
import { ApiError, errorResponse, isTransient } from "./errors.ts";
import { agentRoutes } from "./routes/agents.ts";
import { flowRoutes } from "./routes/flow.ts";
import { hookRoutes } from "./routes/hooks.ts";
import { runBulkRoutes } from "./routes/run-bulk.ts";
import { runOperationRoutes } from "./routes/run-operations.ts";
import { runExportRoutes } from "./routes/run-export.ts";
import { runRoutes } from "./routes/runs.ts";
import { subscriptionRoutes } from "./routes/subscriptions.ts";
import { triggerRoutes } from "./routes/triggers.ts";
import { workflowRoutes } from "./routes/workflows.ts";
import { uiRoutes } from "./ui/routes.tsx";

/** Where createApp's routes are served when the request does not show it (see detectBasePath). */
export interface AppOptions {
  basePath?: string;
}

/**
 * Cairn's routes at the root of the app; mounted elsewhere (`app.route("/cairn", ...)`), each
 * request finds its base path, so the links and resume URLs it hands out carry it.
 */
export function createApp(options: AppOptions = {}) {
  const app = new Hono<AppEnv>();
  // Workers have no startup hook: every request validates the configuration (parsed once per env
  // object), so a misconfigured deploy answers a coded error at once instead of corrupting runs.
  app.use("*", async (c, next) => {
    readConfig(c.env);
    await next();
  });
  app.use("*", detectBasePath(normalizeBasePath(options.basePath)));
  app.get("/", (c) =>
    c.json({
      name: "cairn",
      basePath: basePathOf(c),
      routes: [
        "GET /workflows",
        "POST /workflows/:slug",
        "GET /runs",
        "GET /runs/:runId",
        "GET /runs/:runId/events",
        "GET /runs/export",
        "GET /runs/:runId/export",
        "POST /runs/:runId/cancel|retry|rerun",
        "POST /runs/bulk",
        "GET /runs/bulk/:bulkId",
        "POST|GET /hooks/:token",
        "GET /triggers",
        "POST /triggers/:endpoint",
        "POST /triggers/:slug/enable|disable|invoke",
        "POST|GET /workflows/:slug/subscriptions",
        "POST /workflows/:slug/pause|resume",
        "GET /workflows/:slug/queues",
        "GET /agents",
        "POST /agents/:slug/prompt",
        "GET /agents/:slug/sessions/:sessionId",
        "GET /ui",
      ].map((route) => route.replace(" /", ` ${basePathOf(c)}/`)),
    }),
  );
  // Management routes (auth.ts); `/triggers` checks per verb, since webhook deliveries share its
  // paths; hooks and webhooks carry their own credentials, the dashboard has its login.
  for (const base of ["/workflows", "/runs", "/agents"]) {
    app.use(base, requireApiKey);
    app.use(`${base}/*`, requireApiKey);
  }
  app.route("/workflows", subscriptionRoutes);
  app.route("/workflows", flowRoutes);
  app.route("/workflows", workflowRoutes);
  // Before the run routes: `/runs/bulk` is not a run id.
  app.route("/runs", runBulkRoutes);
  app.route("/runs", runOperationRoutes);
  // Before runRoutes: `/runs/export` is a listing, not a run id.
  app.route("/runs", runExportRoutes);
  app.route("/runs", runRoutes);
  app.route("/hooks", hookRoutes);
  app.route("/agents", agentRoutes);
  app.route("/triggers", triggerRoutes);
  app.route("/ui", uiRoutes);
  app.notFound((c) =>
    errorResponse(c, new ApiError("not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`)),
  );
  app.onError((error, c) => {
    if (error instanceof ConfigError) return configErrorResponse(error);
    if (error instanceof ApiError) return errorResponse(c, error);
    if (isTransient(error)) {
      console.warn("transient runtime error", error);
      c.header("retry-after", "1");
      return errorResponse(
        c,
        new ApiError(
          "unavailable",
          "storage is briefly unavailable; retry the request (with the same Idempotency-Key when starting a run)",
        ),
      );
    }
    console.error("unhandled error", error);
    return errorResponse(c, new ApiError("internal_error", "the server failed to handle this request"));
  });
  return app;
}
