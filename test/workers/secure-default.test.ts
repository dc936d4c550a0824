// Secure by default: a Worker without CAIRN_API_KEY closes its management routes and dashboard on
// a public host (403 api_key_required, saying how to set the key), stays open on loopback
// (`wrangler dev`) or with CAIRN_ALLOW_UNAUTHENTICATED=true, and hook URLs work with their token.
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env.ts";
import worker from "../fixtures/worker.ts";
import { fireAlarmsUntil, startRun, testEnv, waitForStatus } from "./helpers.ts";

const PUBLIC = "https://my-worker.example.workers.dev";

/** The real bindings, as a deploy without the key nor the opt-out has them. */
const closedEnv = { ...testEnv, CAIRN_API_KEY: undefined, CAIRN_ALLOW_UNAUTHENTICATED: undefined } as Env;

function call(url: string, env: Env = closedEnv, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(url, init), env, createExecutionContext());
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("a Worker without CAIRN_API_KEY", () => {
  it("answers its management routes 403 api_key_required on a public host, naming the wrangler command", async () => {
    for (const path of ["/workflows", "/runs", "/agents", "/triggers", "/workflows/fixture-greeting"]) {
      const response = await call(`${PUBLIC}${path}`);
      expect(response.status, path).toBe(403);
      const error = await errorOf(response);
      expect(error.code, path).toBe("api_key_required");
      expect(error.message, path).toContain("npx wrangler secret put CAIRN_API_KEY");
      expect(error.message, path).toContain("CAIRN_ALLOW_UNAUTHENTICATED=true");
    }
    const start = await call(`${PUBLIC}/workflows/fixture-greeting`, closedEnv, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Mallory" }),
    });
    expect(start.status).toBe(403);
    expect((await errorOf(start)).code).toBe("api_key_required");
  });

  it("shows how to set the key instead of the dashboard or a login form on a public host", async () => {
    for (const path of ["/ui", "/ui/runs", "/ui/login"]) {
      const response = await call(`${PUBLIC}${path}`);
      expect(response.status, path).toBe(403);
      const html = await response.text();
      expect(html, path).toContain("api_key_required");
      expect(html, path).toContain("npx wrangler secret put CAIRN_API_KEY");
      expect(html, path).not.toContain('name="key"');
    }
  });

  it("stays open on loopback hosts, as under wrangler dev", async () => {
    for (const origin of ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787"]) {
      expect((await call(`${origin}/workflows`)).status, origin).toBe(200);
      expect((await call(`${origin}/runs`)).status, origin).toBe(200);
      expect((await call(`${origin}/ui`)).status, origin).toBe(200);
    }
  });

  it("stays open on a public host when CAIRN_ALLOW_UNAUTHENTICATED is true", async () => {
    const optedOut = { ...closedEnv, CAIRN_ALLOW_UNAUTHENTICATED: "true" } as Env;
    expect((await call(`${PUBLIC}/workflows`, optedOut)).status).toBe(200);
    expect((await call(`${PUBLIC}/ui`, optedOut)).status).toBe(200);
  });

  it("refuses a CAIRN_ALLOW_UNAUTHENTICATED that is neither true nor false", async () => {
    const typo = { ...closedEnv, CAIRN_ALLOW_UNAUTHENTICATED: "yes" } as Env;
    const response = await call(`${PUBLIC}/workflows`, typo);
    expect(response.status).toBe(500);
    expect(await errorOf(response)).toMatchObject({ code: "invalid_config" });
  });

  it("resumes a hook on a public host with its token alone", async () => {
    const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
    const waiting = await waitForStatus(runId, ["waiting_on_hook"]);
    const path = new URL(waiting.hooks[0]!.resumeUrl!).pathname;
    const resumed = await call(`${PUBLIC}${path}`, closedEnv, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ approved: true }),
    });
    expect(resumed.status).toBe(200);
    expect((await fireAlarmsUntil(runId, ["success", "failed"])).output).toEqual({ decision: "approved" });
  });
});

describe("a Worker with CAIRN_API_KEY", () => {
  const keyed = { ...closedEnv, CAIRN_API_KEY: "deploy-key" } as Env;

  it("serves a bearer request on a public host and refuses one without the key", async () => {
    const authorized = await call(`${PUBLIC}/workflows`, keyed, { headers: { authorization: "Bearer deploy-key" } });
    expect(authorized.status).toBe(200);
    const anonymous = await call(`${PUBLIC}/workflows`, keyed);
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe("unauthorized");
  });

  it("sends the dashboard to its login form", async () => {
    const response = await call(`${PUBLIC}/ui`, keyed, { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/ui/login");
    expect(await (await call(`${PUBLIC}/ui/login`, keyed)).text()).toContain('name="key"');
  });
});
