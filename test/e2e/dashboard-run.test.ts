// The run page in Chromium: the waterfall's bars on one time axis, step details, the canvas lit
// by the run, live updates without any navigation on a 1,500-event run, and retry from the page.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, openDashboard, runUntil, statusOf } from "./dashboard-browser.ts";

let d: Dashboard;

beforeAll(async () => {
  d = await openDashboard();
});

afterAll(async () => {
  await d?.stop();
});

async function barWidth(p: Page, stepId: string): Promise<number> {
  const box = await p.locator(`.wf-lane[data-step="${stepId}"] .wf-bar`).first().boundingBox();
  if (!box) throw new Error(`no bar for ${stepId}`);
  return box.width;
}

describe("run page", () => {
  it("draws each step's bar in proportion to its recorded duration, on an axis with units, and zooms", async () => {
    const runId = await d.start("timed-steps", { ms: 300 });
    const run = await runUntil(d, runId, ["success"]);
    const took = (id: string) => {
      const step = run.steps.find((s) => s.id === id)!;
      return Date.parse(step.endedAt!) - Date.parse(step.startedAt!);
    };
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs/${runId}`);
    const short = await barWidth(p, "short-task#0");
    const long = await barWidth(p, "long-task#0");
    // Recorded times are whole milliseconds and bars whole-ish pixels: a 5% tolerance covers both.
    const recorded = took("long-task#0") / took("short-task#0");
    expect(recorded).toBeGreaterThan(1.5);
    expect(Math.abs(long / short - recorded) / recorded).toBeLessThan(0.05);
    expect(await p.locator("[data-axis] .tick").allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\d+(\.\d+)? (ms|s)$/)]),
    );
    // Drag across the long bar: the view zooms to that range, so the bar fills the track.
    const bar = (await p.locator('.wf-lane[data-step="long-task#0"] .wf-bar').boundingBox())!;
    const track = (await p.locator('.wf-lane[data-step="long-task#0"] .wf-track').boundingBox())!;
    await p.mouse.move(bar.x + 1, bar.y + 5);
    await p.mouse.down();
    await p.mouse.move(bar.x + bar.width / 2, bar.y + 5);
    await p.mouse.move(bar.x + bar.width - 1, bar.y + 5);
    await p.mouse.up();
    expect(await barWidth(p, "long-task#0")).toBeGreaterThan(track.width * 0.9);
    expect(await p.locator("[data-range]").innerText()).toMatch(/^Showing /);
    await p.getByRole("button", { name: "Fit" }).click();
    expect(await barWidth(p, "long-task#0")).toBeCloseTo(long, 0);
    await p.screenshot({ path: "test-artifacts/run-waterfall.png", fullPage: true });
  });

  it("opens a step's input, output and readable error, and lights the failed step on the canvas", async () => {
    const runId = await d.start("parallel-fail", { customer: "ada" });
    await runUntil(d, runId, ["failed"]);
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs/${runId}`);
    await p.locator('.wf-lane[data-step="explode#0"]').click();
    const details = p.getByTestId("step-details");
    await expect.poll(() => details.getAttribute("data-step")).toBe("explode#0");
    expect(await details.getByTestId("step-error").innerText()).toMatch(
      /NonRetryableError[\s\S]*non_retryable[\s\S]*the ledger refused the entry/,
    );
    expect(JSON.parse(await details.locator("pre[id^=in-]").innerText())).toEqual({ a: 1, b: 2 });
    expect(await details.getByTestId("attempts").innerText()).toContain("#1");
    await p.locator('.wf-lane[data-step="fetch-a#0"]').click();
    await expect.poll(() => details.getAttribute("data-step")).toBe("fetch-a#0");
    expect(JSON.parse(await details.locator("pre[id^=out-]").innerText())).toEqual({ a: 1 });

    // The canvas: the literal Promise.all's nodes side by side, the failed call site lit as failed.
    const a = await p.locator('.cv-step[data-site="pf-a"]').boundingBox();
    const b = await p.locator('.cv-step[data-site="pf-b"]').boundingBox();
    expect(a && b && Math.abs(a.y - b.y)).toBeLessThan(1);
    expect(a && b && Math.abs(a.x - b.x)).toBeGreaterThan(a?.width ?? 0);
    expect(await p.locator('.cv-step[data-site="pf-c"]').getAttribute("data-status")).toBe("failed");
    expect(await p.locator('.cv-step[data-site="pf-a"]').getAttribute("data-status")).toBe("completed");
  });

  it("shows the cairn generate hint where a workflow has no graph", async () => {
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/workflows/timed-steps`);
    expect(await p.getByTestId("graph-unavailable").innerText()).toContain("cairn generate");
  });

  it("never navigates while following a live 1,500-event run, and patches its status in place", async () => {
    const runId = await d.start("many-steps", { count: 750 });
    await runUntil(d, runId, ["sleeping"]);
    const p = await d.page();
    let navigations = 0;
    p.on("framenavigated", (frame) => {
      if (frame === p.mainFrame()) navigations++;
    });
    await p.goto(`${d.server.url}/ui/runs/${runId}`);
    expect(await p.locator('[data-region="events"]').innerText()).toMatch(/^1502 events/);
    expect(await p.locator(".wf-lane").count()).toBe(751);
    await p.waitForTimeout(10_000);
    expect(navigations).toBe(1);
    // A change made elsewhere reaches the page through its event stream, without a reload.
    const canceled = await fetch(`${d.server.url}/runs/${runId}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"reason":"test"}',
    });
    expect(canceled.status).toBe(200);
    await expect.poll(() => statusOf(p), { timeout: 15_000 }).toBe("canceled");
    expect(navigations).toBe(1);
  });

  it("retries a failed run from the page after a confirmation", async () => {
    const runId = await d.start("parallel-fail", { customer: "grace" });
    await runUntil(d, runId, ["failed"]);
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs/${runId}`);
    await p.getByTestId("retry").click();
    await p.locator("#retry-reason").fill("ledger fixed");
    await p.getByTestId("confirm-retry").click();
    await p.waitForURL((url) => url.pathname.startsWith("/ui/runs/run_") && !url.pathname.endsWith(runId));
    expect(await p.getByTestId("retry-of").innerText()).toContain(runId.slice(0, 12));
    const retried = await d.run(new URL(p.url()).pathname.split("/").at(-1)!);
    expect(retried.retryOf).toBe(runId);
  });
});
