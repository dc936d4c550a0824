// The dashboard at /ui: server-rendered pages (page-routes.tsx) and forms that post back here
// with a CSRF token (action-routes.tsx), behind the login when the Worker has an API key.
import { Hono } from "hono";
import { assertNotBackingOff, clientIp, keyBackoff } from "../auth-backoff.ts";
import { actionRoutes } from "./action-routes.tsx";
import { form } from "./form.ts";
import { LoginPage } from "./pages/login.tsx";
import { opsRoutes } from "./ops-routes.tsx";
import { pageRoutes } from "./page-routes.tsx";
import { page } from "./render.tsx";
import { dashboardAccess, signIn, type UiEnv, uiHeaders, uiRoot } from "./security.ts";

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
  .route("/", pageRoutes)
  .route("/", opsRoutes)
  .route("/", actionRoutes);
