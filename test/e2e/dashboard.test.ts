// The dashboard in Debian's Chromium (playwright-core) against wrangler dev on 127.0.0.1.
// (Each launch gets a fresh temporary profile from playwright.)
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

let server: DevServer;
let browser: Browser;
const artifacts = join(process.cwd(), "test-artifacts");

beforeAll(async () => {
  // The project installs Debian's Chromium itself when it is missing.
  execFileSync("bash", ["scripts/ensure-chromium.sh"], { stdio: "inherit" });
  mkdirSync(artifacts, { recursive: true });
  server = await startDevServer();
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function page(width = 1280, height = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  return context.newPage();
}

async function statusOf(p: Page): Promise<string> {
  return (await p.getByTestId("run-status").innerText()).trim();
}

/** Waits for the live page to show one of `statuses` (it reloads itself on each event). */
async function untilStatus(p: Page, statuses: string[], timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await statusOf(p).catch(() => "");
    if (statuses.includes(status) || Date.now() > deadline) return status;
    await p.waitForTimeout(250);
  }
}

async function start(slug: string, input: unknown): Promise<string> {
  const response = await fetch(`${server.url}/workflows/${slug}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  return ((await response.json()) as { runId: string }).runId;
}

describe("dashboard", () => {
  it("starts a run from the form generated from the input schema and shows it go live to success", async () => {
    const p = await page();
    await p.goto(`${server.url}/ui`);
    await p.screenshot({ path: join(artifacts, "workflows.png"), fullPage: true });
    const form = p.getByTestId("start-greeting");
    await form.getByLabel(/name/).fill("Browser");
    await form.getByRole("button", { name: "Start run" }).click();
    await p.waitForURL(/\/ui\/runs\/run_/);
    expect(await untilStatus(p, ["success"])).toBe("success");
    expect(await p.locator("#output").innerText()).toContain("Hello, Browser!");
    await p.screenshot({ path: join(artifacts, "run-success.png"), fullPage: true });
  });

  it("shows a retried run's attempts and errors on its timeline", async () => {
    const runId = await start("inventory-check", { sku: "sku-9" });
    const p = await page();
    await p.goto(`${server.url}/ui/runs/${runId}`);
    expect(await untilStatus(p, ["success"], 30_000)).toBe("success");
    const errors = await p.getByTestId("errors").innerText();
    expect(errors).toContain("inventory service unavailable (attempt 1)");
    expect(errors).toContain("attempt 2");
    expect(await p.locator('[data-testid="timeline"] .bar[data-status="retrying"]').count()).toBe(2);
    await p.screenshot({ path: join(artifacts, "run-retries.png"), fullPage: true });
  });

  it("resumes a waiting hook from the page", async () => {
    const runId = await start("expense-approval", { employee: "ada", amount: 42, manager: "grace" });
    const p = await page();
    await p.goto(`${server.url}/ui/runs/${runId}`);
    expect(await untilStatus(p, ["waiting on hook"])).toBe("waiting on hook");
    const hook = p.getByTestId("hook-hook#0");
    await hook.locator("textarea").fill('{"approved": true, "note": "from the dashboard"}');
    await p.screenshot({ path: join(artifacts, "run-hook.png"), fullPage: true });
    await hook.getByRole("button", { name: "Resume" }).click();
    expect(await untilStatus(p, ["success"])).toBe("success");
    expect(await p.locator("#output").innerText()).toContain("from the dashboard");
  });

  it("cancels a sleeping run, and lists runs with status filters on a phone-sized screen", async () => {
    const runId = await start("delayed-followup", { to: "x", delay: "1h" });
    const p = await page();
    await p.goto(`${server.url}/ui/runs/${runId}`);
    expect(await untilStatus(p, ["sleeping"])).toBe("sleeping");
    await p.getByTestId("cancel").click();
    expect(await untilStatus(p, ["canceled"])).toBe("canceled");
    const phone = await page(390, 844);
    await phone.goto(`${server.url}/ui/runs?status=canceled`);
    expect(await phone.getByTestId("runs-table").innerText()).toContain("delayed-followup");
    await phone.screenshot({ path: join(artifacts, "runs-phone.png"), fullPage: true });
  });

  it("refuses a form post without the CSRF token and sends strict security headers", async () => {
    const refused = await fetch(`${server.url}/ui/workflows/greeting/start`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "field:name:string=x",
    });
    expect(refused.status).toBe(403);
    const response = await fetch(`${server.url}/ui`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });
});
