// Cairn mounted under a base path in a Worker with routes of its own (`app.route("/cairn",
// cairn.app)`): the API, webhooks, hook resume URLs, the dashboard's links, forms, event stream and
// login cookie all carry the mount path; and `basePath` covers a mount that strips the prefix.
import { createExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import type { Env } from "../../src/env.ts";
import { createCairn } from "../../src/worker.ts";
import { fixtureDefinitions } from "../fixtures/worker.ts";
import { fireAlarmsUntil, testEnv, waitForStatus } from "./helpers.ts";

// A second createCairn in this isolate, with the definitions the fixture Worker registered already.
const cairn = createCairn(fixtureDefinitions);
const parent = new Hono<{ Bindings: Env }>();
parent.get("/", (c) => c.text("my app"));
parent.route("/cairn", cairn.app);

function call(app: { fetch: Hono<{ Bindings: Env }>["fetch"] }, path: string, init: RequestInit & { env?: Env } = {}) {
  const { env = testEnv, ...rest } = init;
  return app.fetch(
    new Request(`http://cairn.test${path}`, { redirect: "manual", ...rest }),
    env,
    createExecutionContext(),
  );
}

const post = (json: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(json),
});

async function startApprover(app: Parameters<typeof call>[0], prefix: string) {
  const started = await call(app, `${prefix}/workflows/fixture-approver`, post({ key: crypto.randomUUID() }));
  expect(started.status).toBe(202);
  const { runId } = (await started.json()) as { runId: string };
  const waiting = await waitForStatus(runId, ["waiting_on_hook"]);
  return { runId, resumeUrl: new URL(waiting.hooks[0]!.resumeUrl!) };
}

describe('Cairn mounted with app.route("/cairn", cairn.app)', () => {
  it("leaves the host Worker's own routes alone and lists its routes under /cairn", async () => {
    expect(await (await call(parent, "/")).text()).toBe("my app");
    expect((await call(parent, "/workflows")).status).toBe(404);
    const listing = (await (await call(parent, "/cairn")).json()) as { basePath: string; routes: string[] };
    expect(listing.basePath).toBe("/cairn");
    expect(listing.routes).toContain("POST /cairn/workflows/:slug");
  });

  it("hands out resume URLs under /cairn/hooks/ and resumes the run through them", async () => {
    const { runId, resumeUrl } = await startApprover(parent, "/cairn");
    expect(resumeUrl.origin).toBe("http://cairn.test");
    expect(resumeUrl.pathname).toMatch(/^\/cairn\/hooks\/[^/]+$/);
    const resumed = await call(parent, resumeUrl.pathname, post({ approved: true }));
    expect(resumed.status).toBe(200);
    expect((await fireAlarmsUntil(runId, ["success", "failed"])).output).toEqual({ decision: "approved" });
    const run = (await (await call(parent, `/cairn/runs/${runId}`)).json()) as { status: string };
    expect(run.status).toBe("success");
  });

  it("delivers webhooks on /cairn/triggers/<endpoint>", async () => {
    const delivered = await call(parent, "/cairn/triggers/fixture-signups", post({ email: "mounted@example.com" }));
    expect(delivered.status).toBe(202);
    const { runIds } = (await delivered.json()) as { runIds: string[] };
    expect(runIds).toHaveLength(1);
    expect((await waitForStatus(runIds[0]!, ["success", "failed"])).status).toBe("success");
  });

  it("serves the dashboard at /cairn/ui with its links, forms and event stream under /cairn", async () => {
    const home = await call(parent, "/cairn/ui");
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('href="/cairn/ui/runs"');
    expect(html).toContain('action="/cairn/ui/workflows/fixture-approver/start"');
    expect(html).not.toMatch(/(href|action)="\/ui/);
    const { runId } = await startApprover(parent, "/cairn");
    const page = await (await call(parent, `/cairn/ui/runs/${runId}`)).text();
    expect(page).toContain(`data-live="/cairn/runs/${runId}/events?follow=1`);
    expect(page).toContain(`action="/cairn/ui/runs/${runId}/cancel"`);
    expect(page).not.toMatch(/(href|action|data-live)="\/(ui|runs)/);
  });

  it("keeps the dashboard's redirects and its login and CSRF cookies under /cairn", async () => {
    const env = { ...testEnv, CAIRN_API_KEY: "mount-key" } as Env;
    const toLogin = await call(parent, "/cairn/ui", { env });
    expect(toLogin.status).toBe(303);
    expect(toLogin.headers.get("location")).toBe("/cairn/ui/login");
    const login = await call(parent, "/cairn/ui/login", { env });
    expect(await login.text()).toContain('action="/cairn/ui/login"');
    const csrfCookie = login.headers.get("set-cookie") ?? "";
    expect(csrfCookie).toMatch(/Path=\/cairn\/ui/);
    const csrf = /cairn_csrf=([0-9a-f]{32})/.exec(csrfCookie)![1]!;
    const signedIn = await call(parent, "/cairn/ui/login", {
      env,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: `cairn_csrf=${csrf}` },
      body: `_csrf=${csrf}&key=mount-key`,
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/cairn/ui");
    expect(signedIn.headers.get("set-cookie")).toMatch(/cairn_key=mount-key;.*Path=\/cairn(;|$)/);
  });
});

describe("Cairn's base path", () => {
  it("follows a mount path with parameters", async () => {
    const tenant = new Hono<{ Bindings: Env }>().route("/:tenant/cairn", cairn.app);
    const { resumeUrl } = await startApprover(tenant, "/acme/cairn");
    expect(resumeUrl.pathname).toMatch(/^\/acme\/cairn\/hooks\//);
  });

  it("comes from the basePath option when the mount strips the prefix before Cairn sees it", async () => {
    const stripped = createCairn({ ...fixtureDefinitions, basePath: "/cairn/" });
    const host = new Hono<{ Bindings: Env }>().mount("/cairn", stripped.fetch);
    const { resumeUrl } = await startApprover(host, "/cairn");
    expect(resumeUrl.pathname).toMatch(/^\/cairn\/hooks\//);
  });

  it("refuses a second definition under a slug already registered, naming the slug", () => {
    const impostor = defineWorkflow({
      slug: "fixture-greeting",
      input: z.object({}),
      output: z.object({}),
      run: async () => ({}),
    });
    expect(() => createCairn({ workflows: [impostor] })).toThrow(/two workflows use the slug "fixture-greeting"/);
  });
});
