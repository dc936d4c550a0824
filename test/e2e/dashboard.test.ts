// The dashboard in Debian's Chromium (playwright-core) against wrangler dev on 127.0.0.1: starting
// runs from forms, hooks, cancel with a reason, dark mode, a 390 px screen, keyboard, CSP and CSRF,
// the trigger pages, and the screenshots in docs/screenshots.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, openDashboard, runUntil, screenshots, statusOf } from "./dashboard-browser.ts";

let d: Dashboard;

beforeAll(async () => {
  d = await openDashboard();
});

afterAll(async () => {
  await d?.stop();
});

const noHorizontalScroll = (p: Page) =>
  p.evaluate<boolean>("document.documentElement.scrollWidth <= document.documentElement.clientWidth");

describe("dashboard", () => {
  it("starts a run from the form generated from the input schema and follows it live to success", async () => {
    const p = await d.page();
    await p.goto(`${d.server.url}/ui`);
    const form = p.getByTestId("start-greeting");
    await p.getByTestId("workflow-greeting").getByText("Start a run").click();
    await form.getByLabel(/name/).fill("Browser");
    await form.getByRole("button", { name: "Start run" }).click();
    await p.waitForURL(/\/ui\/runs\/run_/);
    await expect.poll(() => statusOf(p), { timeout: 20_000 }).toBe("success");
    expect(await p.locator("#output").innerText()).toContain("Hello, Browser!");
  });

  it("shows a retried step's attempts as separate bars with the backoff between them", async () => {
    const runId = await d.start("inventory-check", { sku: "sku-9" });
    await runUntil(d, runId, ["success"]);
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs/${runId}`);
    const lane = p.locator(".wf-lane").first();
    expect(await lane.locator('.wf-bar[data-status="retrying"]').count()).toBe(2);
    expect(await lane.locator(".wf-gap").count()).toBe(2);
    await lane.click();
    const attempts = p.getByTestId("attempts");
    await expect.poll(() => attempts.innerText()).toContain("inventory service unavailable (attempt 1)");
    expect(await attempts.innerText()).toMatch(/waited [\d.]+ (ms|s) \(backoff\)/);
  });

  it("resumes a waiting hook from the page", async () => {
    const runId = await d.start("expense-approval", { employee: "ada", amount: 42, manager: "grace" });
    await runUntil(d, runId, ["waiting_on_hook"]);
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs/${runId}`);
    const hook = p.getByTestId("hook-hook#0");
    await hook.locator("textarea").fill('{"approved": true, "note": "from the dashboard"}');
    await hook.getByRole("button", { name: "Resume", exact: true }).click();
    await expect.poll(() => statusOf(p), { timeout: 20_000 }).toBe("success");
    expect(await p.locator("#output").innerText()).toContain("from the dashboard");
  });

  it("cancels a sleeping run with a reason after a confirmation", async () => {
    const runId = await d.start("delayed-followup", { to: "x", delay: "1h" });
    await runUntil(d, runId, ["sleeping"]);
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs/${runId}`);
    await p.getByTestId("cancel").click();
    await p.locator("#cancel-reason").fill("customer left");
    await p.getByTestId("confirm-cancel").click();
    await expect.poll(() => statusOf(p), { timeout: 20_000 }).toBe("canceled");
    expect(await p.locator('[data-region="head"]').innerText()).toContain("customer left");
  });

  it("follows the system's dark mode, switches and remembers the choice", async () => {
    const p = await d.page({ dark: true });
    await p.goto(`${d.server.url}/ui/runs`);
    const theme = () => p.evaluate<string>("document.documentElement.dataset.theme");
    const background = () => p.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    expect(await theme()).toBe("dark");
    const dark = await background();
    await p.getByTestId("theme-toggle").click();
    expect(await theme()).toBe("light");
    expect(await background()).not.toBe(dark);
    await p.reload();
    expect(await theme()).toBe("light");
  });

  it("fits a 390 px screen without horizontal scrolling", async () => {
    const runId = await d.start("parallel-fail", { customer: "phone" });
    await runUntil(d, runId, ["failed"]);
    const p = await d.page({ width: 390, height: 844 });
    for (const path of ["/ui", "/ui/runs", `/ui/runs/${runId}`, "/ui/triggers", "/ui/workflows/parallel-fail"]) {
      await p.goto(`${d.server.url}${path}`);
      expect({ path, fits: await noHorizontalScroll(p) }).toEqual({ path, fits: true });
    }
  });

  it("moves through runs with j/k, opens one with Enter, and shows the keys with ?", async () => {
    await d.start("greeting", { name: "keys" });
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs`);
    await p.keyboard.press("j");
    await p.keyboard.press("?");
    expect(await p.locator("#keys-help").isVisible()).toBe(true);
    await p.keyboard.press("Escape");
    const first = await p.locator("#runs-body tr.sel").getAttribute("data-run-id");
    await p.keyboard.press("Enter");
    await p.waitForURL(new RegExp(`/ui/runs/${first}$`));
  });

  it("lists triggers and schedules with their next fires", async () => {
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/triggers`);
    expect(await p.locator("[data-testid^=trigger-]").count()).toBeGreaterThan(0);
    await p.goto(`${d.server.url}/ui/schedules`);
    const next = p.getByTestId("next-fire").first();
    expect(await next.locator("time").count()).toBeGreaterThan(0);
    await p.goto(`${d.server.url}/ui/subscriptions`);
    expect(await p.locator("h1").innerText()).toBe("Subscriptions");
  });

  it("uses a nonce for every inline script and style, refuses a form without its CSRF token", async () => {
    const refused = await fetch(`${d.server.url}/ui/workflows/greeting/start`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "field:name:string=x",
    });
    expect(refused.status).toBe(403);
    const response = await fetch(`${d.server.url}/ui/runs`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).not.toContain("unsafe-inline");
    const nonce = /script-src 'nonce-([0-9a-f]+)'/.exec(csp)?.[1];
    expect(csp).toContain(`style-src 'nonce-${nonce}'`);
    const html = await response.text();
    expect(html).not.toMatch(/ style="/);
    for (const tag of html.match(/<(script|style)\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${nonce}"`);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("writes screenshots of the main pages, light and dark, desktop and 390 px", async () => {
    const failed = await d.start("parallel-fail", { customer: "screens" });
    const retried = await d.start("inventory-check", { sku: "sku-screens" });
    await runUntil(d, failed, ["failed"]);
    await runUntil(d, retried, ["success"]);
    for (const dark of [false, true]) {
      const mode = dark ? "dark" : "light";
      for (const [width, size] of [
        [1280, "desktop"],
        [390, "phone"],
      ] as const) {
        const p = await d.page({ width, height: width > 400 ? 800 : 844, dark });
        const shot = async (path: string, name: string) => {
          await p.goto(`${d.server.url}${path}`);
          await p.waitForTimeout(300);
          await p.screenshot({ path: join(screenshots, `${name}-${mode}-${size}.png`), fullPage: size === "desktop" });
        };
        await shot("/ui/runs", "runs");
        await shot(`/ui/runs/${failed}`, "run");
        if (size === "desktop") {
          await shot("/ui", "workflows");
          await shot("/ui/triggers", "triggers");
          await p.goto(`${d.server.url}/ui/runs/${retried}`);
          await p.locator(".wf-lane").first().click();
          await p.getByTestId("step-details").waitFor();
          await p.screenshot({ path: join(screenshots, `run-step-${mode}-${size}.png`) });
        }
        await p.context().close();
      }
    }
  }, 400_000);
});
