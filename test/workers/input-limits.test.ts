// Input limits and the auth surface (issue 18): bodies are refused over 1 MiB before parsing (the
// login form too), deeply nested JSON is a coded 400 everywhere, the login cookie only opens the
// event stream, JSON bodies must say application/json, and wrong keys back off per address.
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env.ts";
import worker from "../fixtures/worker.ts";
import { fireAlarmsUntil, request, startRun, testEnv, waitForStatus } from "./helpers.ts";

const PUBLIC = "https://my-worker.example.workers.dev";
const keyed = { ...testEnv, CAIRN_API_KEY: "deploy-key", CAIRN_ALLOW_UNAUTHENTICATED: undefined } as Env;
const deep = `${"[".repeat(4000)}${"]".repeat(4000)}`;

function call(url: string, init: RequestInit = {}, env: Env = keyed): Promise<Response> {
  return worker.fetch(new Request(url, init), env, createExecutionContext());
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

/** A CSRF token the dashboard issued, with the cookie that carries it. */
async function csrf(ip: string): Promise<{ token: string; cookie: string }> {
  const page = await call(`${PUBLIC}/ui/login`, { headers: { "cf-connecting-ip": ip } });
  const token = /cairn_csrf=([0-9a-f]{32})/.exec(page.headers.get("set-cookie") ?? "")?.[1] ?? "";
  return { token, cookie: `cairn_csrf=${token}` };
}

function login(ip: string, session: { token: string; cookie: string }, key: string, body?: BodyInit) {
  return call(`${PUBLIC}/ui/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: session.cookie, "cf-connecting-ip": ip },
    body: body ?? `_csrf=${session.token}&key=${encodeURIComponent(key)}`,
  });
}

describe("request bodies", () => {
  it("refuses a 2 MiB login form with 413 before reading it, declared or streamed", async () => {
    const session = await csrf("198.51.100.1");
    const big = `_csrf=${session.token}&key=${"k".repeat(2 * 1024 * 1024)}`;
    const declared = await login("198.51.100.1", session, "", big);
    expect(declared.status).toBe(413);
    expect((await errorOf(declared)).code).toBe("payload_too_large");
    const bytes = new TextEncoder().encode(big);
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) controller.enqueue(bytes.slice(at, at + 64 * 1024));
        controller.close();
      },
    });
    const chunked = await login("198.51.100.1", session, "", streamed);
    expect(chunked.status).toBe(413);
    expect((await errorOf(chunked)).code).toBe("payload_too_large");
  });

  it("answers 400 json_too_deep to JSON nested 4,000 levels on starts, hooks and webhooks", async () => {
    const start = await request("/workflows/fixture-greeting", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: deep,
    });
    expect(start.status).toBe(400);
    expect((await errorOf(start)).code).toBe("json_too_deep");

    const webhook = await request("/triggers/fixture-events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: deep,
    });
    expect(webhook.status).toBe(400);
    expect((await errorOf(webhook)).code).toBe("json_too_deep");

    const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
    const waiting = await waitForStatus(runId, ["waiting_on_hook"]);
    const hookPath = new URL(waiting.hooks[0]!.resumeUrl!).pathname;
    const hook = await request(hookPath, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: deep,
    });
    expect(hook.status).toBe(400);
    expect((await errorOf(hook)).code).toBe("json_too_deep");
    // The hook is still waiting, and still resumes.
    expect((await request(hookPath, { json: { approved: true } })).status).toBe(200);
    expect((await fireAlarmsUntil(runId, ["success", "failed"])).output).toEqual({ decision: "approved" });
  });

  it("accepts JSON bodies only as application/json (parameters allowed)", async () => {
    for (const type of ["text/plain+json", "text/plain", "application/x-json-ish"]) {
      const response = await request("/workflows/fixture-greeting", {
        method: "POST",
        headers: { "content-type": type },
        body: JSON.stringify({ name: "Ada" }),
      });
      expect(response.status, type).toBe(415);
      expect((await errorOf(response)).code, type).toBe("unsupported_media_type");
    }
    const charset = await request("/workflows/fixture-greeting", {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ name: "Ada" }),
    });
    expect(charset.status).toBe(202);
  });
});

describe("the dashboard's login cookie", () => {
  const cookie = { cookie: "cairn_key=deploy-key" };

  it("does not start, cancel or list anything through the API", async () => {
    const start = await call(`${PUBLIC}/workflows/fixture-greeting`, {
      method: "POST",
      headers: { ...cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "Mallory" }),
    });
    expect(start.status).toBe(401);
    expect((await errorOf(start)).code).toBe("unauthorized");
    const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
    const cancel = await call(`${PUBLIC}/runs/${runId}/cancel`, { method: "POST", headers: cookie });
    expect(cancel.status).toBe(401);
    expect((await call(`${PUBLIC}/runs`, { headers: cookie })).status).toBe(401);
    expect((await waitForStatus(runId, ["waiting_on_hook"])).hooks).toHaveLength(1);
  });

  it("still opens the run's live event stream", async () => {
    const runId = await startRun("fixture-signup", { email: "cookie@example.com" });
    await waitForStatus(runId, ["success"]);
    const stream = await call(`${PUBLIC}/runs/${runId}/events?follow=1`, { headers: cookie });
    expect(stream.status).toBe(200);
    expect(await stream.text()).toContain("event: run_completed");
  });
});

describe("wrong keys", () => {
  it("make an address wait after five bearer attempts, even with the right key, and no other address", async () => {
    const ip = { "cf-connecting-ip": "203.0.113.7" };
    for (let i = 0; i < 5; i++) {
      const wrong = await call(`${PUBLIC}/workflows`, { headers: { ...ip, authorization: `Bearer guess-${i}` } });
      expect(wrong.status).toBe(401);
    }
    const blocked = await call(`${PUBLIC}/workflows`, { headers: { ...ip, authorization: "Bearer deploy-key" } });
    expect(blocked.status).toBe(429);
    expect((await errorOf(blocked)).code).toBe("too_many_attempts");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    const other = await call(`${PUBLIC}/workflows`, {
      headers: { "cf-connecting-ip": "203.0.113.8", authorization: "Bearer deploy-key" },
    });
    expect(other.status).toBe(200);
  });

  it("make an address wait after five failed logins", async () => {
    const ip = "203.0.113.9";
    const session = await csrf(ip);
    for (let i = 0; i < 5; i++) expect((await login(ip, session, `guess-${i}`)).status).toBe(401);
    const blocked = await login(ip, session, "deploy-key");
    expect(blocked.status).toBe(429);
    expect((await errorOf(blocked)).code).toBe("too_many_attempts");
    const other = await csrf("203.0.113.10");
    expect((await login("203.0.113.10", other, "deploy-key")).status).toBe(303);
  });
});
