import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

let server: DevServer;
const key = "test-key-0123456789";

beforeAll(async () => {
  server = await startDevServer({ vars: { CAIRN_API_KEY: key } });
});

afterAll(async () => {
  await server?.stop();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

describe("API key on management routes", () => {
  it("refuses management routes without the key, with a wrong key, and with a key of another length", async () => {
    for (const header of [undefined, "Bearer nope", `Bearer ${key}x`, `Basic ${key}`]) {
      const response = await call("/workflows", { headers: header ? { authorization: header } : {} });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    }
    expect((await call("/runs")).status).toBe(401);
    expect(
      (
        await call("/workflows/greeting", {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(401);
  });

  it("accepts the key, and lets a hook token resume without it", async () => {
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    expect((await call("/workflows", { headers: auth })).status).toBe(200);
    const started = await call("/workflows/expense-approval", {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ employee: "a", amount: 3, manager: "m" }),
    });
    const { runId } = (await started.json()) as { runId: string };
    let resumeUrl: string | undefined;
    for (let i = 0; i < 50 && !resumeUrl; i++) {
      const run = (await (await call(`/runs/${runId}`, { headers: auth })).json()) as {
        hooks: { resumeUrl?: string }[];
      };
      resumeUrl = run.hooks[0]?.resumeUrl;
      if (!resumeUrl) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const resumed = await fetch(resumeUrl!, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ approved: true }),
    });
    expect(resumed.status).toBe(200);
  });

  it("sends no CORS headers that would open management routes to other origins", async () => {
    const response = await call("/runs", {
      headers: { origin: "https://evil.example", authorization: `Bearer ${key}` },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await call("/runs", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("puts the dashboard behind a login that keeps the key in an HttpOnly cookie", async () => {
    const first = await call("/ui", { redirect: "manual" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe("/ui/login");
    const login = await call("/ui/login");
    const csrfCookie = /cairn_csrf=([0-9a-f]{32})/.exec(login.headers.get("set-cookie") ?? "")?.[1];
    const csrfField = /name="_csrf" value="([0-9a-f]{32})"/.exec(await login.text())?.[1];
    expect(csrfCookie).toBeDefined();
    expect(csrfField).toBe(csrfCookie);
    const post = (body: string) =>
      call("/ui/login", {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: `cairn_csrf=${csrfCookie}` },
        body,
      });
    expect((await post(`_csrf=${csrfField}&key=wrong`)).status).toBe(401);
    expect((await post(`_csrf=forged&key=${key}`)).status).toBe(401);
    const signedIn = await post(`_csrf=${csrfField}&key=${key}`);
    expect(signedIn.status).toBe(303);
    const keyCookie = signedIn.headers.get("set-cookie") ?? "";
    expect(keyCookie).toContain("HttpOnly");
    expect(keyCookie).toContain("SameSite=Strict");
    const page = await call("/ui", { headers: { cookie: `cairn_key=${key}; cairn_csrf=${csrfCookie}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Workflows");
  });
});
