// Hook links (issue 18): a GET answers a confirmation that only a POST records, so link scanners,
// unfurlers, HEAD and prefetches resume nothing; resume URLs never come from a forged Host header,
// and a cron-started run's come from PUBLIC_URL or where local development was reached.
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env.ts";
import { createCairn } from "../../src/worker.ts";
import { handleScheduled } from "../../src/triggers-engine/scheduled.ts";
import { defineCronSource } from "cairn-workflows/trigger";
import { hookLinkWorkflows } from "../fixtures/hook-link-workflows.ts";
import { approver } from "../fixtures/workflows.ts";
import { getRun, request, startRun, testEnv, waitForStatus } from "./helpers.ts";

// A cron that starts the approver every 2 January at 04:07 UTC, due only when this test fires it.
const approvalCron = defineCronSource({ slug: "fixture-approval-cron", schedule: "7 4 2 1 *" }).attach({
  workflow: approver,
  transform: () => ({ key: crypto.randomUUID() }),
});
const cairn = createCairn({ workflows: hookLinkWorkflows, triggers: [approvalCron] });

function call(url: string, init: RequestInit = {}, env: Env = testEnv) {
  return cairn.fetch(new Request(url, init), env, createExecutionContext());
}

async function openHook(runId: string) {
  const run = await waitForStatus(runId, ["waiting_on_hook"]);
  const resumeUrl = run.hooks[0]?.resumeUrl;
  if (!resumeUrl) throw new Error(`no open hook on ${runId}`);
  return { resumeUrl, path: new URL(resumeUrl).pathname };
}

const html = { accept: "text/html,application/xhtml+xml" };

describe("hook links", () => {
  it("answers a browser's GET with a confirmation page and records only the POST of its form", async () => {
    const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
    const { path } = await openHook(runId);
    const page = await request(`${path}?approved=true&count=3`, { headers: html });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain("Confirm and record");
    expect(body).toContain("<dt>approved</dt><dd>true</dd>");
    expect(body).toContain('<input type="hidden" name="count" value="3" />');
    expect(body).not.toMatch(/<script|https?:\/\//);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'none'; style-src 'nonce-[0-9a-f]{32}'/);
    expect(body).toContain(`nonce="${/'nonce-([0-9a-f]{32})'/.exec(csp)![1]}"`);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect((await getRun(runId)).status).toBe("waiting_on_hook");

    const posted = await request(path, {
      method: "POST",
      headers: { ...html, "content-type": "application/x-www-form-urlencoded" },
      body: "approved=true&count=3",
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("Thanks, recorded");
    expect((await waitForStatus(runId, ["success", "failed"])).output).toEqual({ decision: "approved" });
  });

  it("resumes nothing on HEAD, on a prefetch, or on a GET from a machine or a link unfurler", async () => {
    const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
    const { path } = await openHook(runId);
    const link = `${path}?approved=true`;
    expect((await request(link, { method: "HEAD" })).status).toBe(200);
    expect((await request(link, { headers: { ...html, "sec-purpose": "prefetch" } })).status).toBe(200);
    expect((await request(link, { headers: { ...html, purpose: "prefetch" } })).status).toBe(200);
    expect((await request(link, { headers: { "user-agent": "Slackbot-LinkExpanding 1.0" } })).status).toBe(200);
    const machine = await request(link, { headers: { accept: "application/json" } });
    expect(await machine.json()).toMatchObject({ ok: false, resumed: false, post: { json: { approved: true } } });
    expect((await getRun(runId)).status).toBe("waiting_on_hook");
    expect((await request(path, { json: { approved: false } })).status).toBe(200);
    expect((await waitForStatus(runId, ["success", "failed"])).output).toEqual({ decision: "rejected" });
  });

  it("shows why a link cannot be used instead of a confirmation, before anyone clicks", async () => {
    const runId = await startRun("fixture-approver", { key: crypto.randomUUID() });
    const { path } = await openHook(runId);
    const bad = await request(`${path}?approved=maybe`, { headers: html });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("This link cannot be used");
    expect((await request(path, { json: { approved: true } })).status).toBe(200);
    const used = await request(`${path}?approved=true`, { headers: html });
    expect(used.status).toBe(409);
    expect(await used.text()).not.toContain("Confirm and record");
  });

  it("resumes in one GET a hook created with resumeOnGet, but never on a prefetch or HEAD", async () => {
    const started = await call("http://cairn.test/workflows/fixture-machine-hook", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: "k" }),
    });
    const { runId } = (await started.json()) as { runId: string };
    const { path } = await openHook(runId);
    expect((await request(`${path}?approved=true`, { method: "HEAD" })).status).toBe(200);
    expect((await request(`${path}?approved=true`, { headers: { "sec-purpose": "prefetch" } })).status).toBe(200);
    expect((await getRun(runId)).status).toBe("waiting_on_hook");
    const resumed = await request(`${path}?approved=true`, { headers: { accept: "application/json" } });
    expect(await resumed.json()).toEqual({ ok: true, runId });
    expect((await waitForStatus(runId, ["success", "failed"])).output).toEqual({ approved: true });
  });
});

describe("resume URL origins", () => {
  const start = (url: string, headers: Record<string, string> = {}) =>
    call(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ key: crypto.randomUUID() }),
    });

  it("never builds resume URLs from a forged Host: a host not loopback nor allowed needs PUBLIC_URL", async () => {
    const forged = await start("http://evil.example/workflows/fixture-approver");
    expect(forged.status).toBe(500);
    expect(await forged.json()).toMatchObject({ error: { code: "invalid_config", variable: "PUBLIC_URL" } });

    const env = { ...testEnv, PUBLIC_URL: "https://approvals.example.com/" } as Env;
    const started = await call(
      "http://evil.example/workflows/fixture-approver",
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key: "x" }) },
      env,
    );
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    // The run object reads its own (test) env, without PUBLIC_URL: the start recorded it.
    const { resumeUrl } = await openHook(runId);
    expect(resumeUrl).toMatch(/^https:\/\/approvals\.example\.com\/hooks\//);
  });

  it("gives a cron-started run the origin local development was reached at, not a hard-coded port", async () => {
    expect((await call("http://127.0.0.1:8799/", { method: "GET" })).status).toBe(200);
    await handleScheduled(testEnv, Date.parse("2027-01-02T04:07:00Z"));
    const fired = (await (await request("/runs?workflow=fixture-approver&limit=50")).json()) as {
      runs: { runId: string; trigger: { source?: string } }[];
    };
    const run = fired.runs.find((r) => r.trigger.source === "fixture-approval-cron");
    expect(run).toBeDefined();
    const { resumeUrl } = await openHook(run!.runId);
    expect(resumeUrl).toMatch(/^http:\/\/127\.0\.0\.1:8799\/hooks\//);
  });
});
