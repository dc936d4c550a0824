// The runs list in Chromium: paging past 100 runs, filters that combine, counts that stay, and
// live rows patched in place — no navigation, nothing typed lost — while a listed run sleeps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, openDashboard, runUntil } from "./dashboard-browser.ts";

let d: Dashboard;

beforeAll(async () => {
  d = await openDashboard();
});

afterAll(async () => {
  await d?.stop();
});

describe("runs list", () => {
  it("pages through 120 runs of one workflow with Load more", async () => {
    // Quickly, ten at a time (a single wrangler dev drops connections when 120 arrive at once).
    const ids: string[] = [];
    for (let batch = 0; batch < 12; batch++)
      ids.push(
        ...(await Promise.all(Array.from({ length: 10 }, (_, i) => d.start("greeting", { name: `p${batch}-${i}` })))),
      );
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs?workflow=greeting`);
    const rows = p.locator("#runs-body tr");
    expect(await rows.count()).toBe(50);
    await p.getByTestId("load-more").click();
    await expect.poll(() => rows.count()).toBe(100);
    await p.getByTestId("load-more").click();
    await expect.poll(() => rows.count()).toBe(120);
    expect(await p.getByTestId("load-more").isHidden()).toBe(true);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-run-id")));
    expect(new Set(shown)).toEqual(new Set(ids));
  });

  it("combines workflow, status, trigger, run id and input-field filters, keeping every status count", async () => {
    const failed = await d.start("parallel-fail", { customer: "filter-me" });
    const other = await d.start("parallel-fail", { customer: "someone-else" });
    await d.start("timed-steps", { ms: 1 });
    await runUntil(d, failed, ["failed"]);
    await runUntil(d, other, ["failed"]);
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs`);
    await p.locator("#f-workflow").selectOption("parallel-fail");
    await p.waitForURL(/workflow=parallel-fail/);
    await p.locator('[data-testid="status-counts"] a[data-status="failed"]').click();
    await p.waitForURL(/status=failed/);
    await p.locator("#f-trigger").selectOption("api");
    await p.waitForURL(/trigger=api/);
    await p.locator("#f-input").fill("customer=filter-me");
    await p.getByRole("button", { name: "Apply" }).click();
    await p.waitForURL(/input=customer/);
    const url = new URL(p.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      workflow: "parallel-fail",
      status: "failed",
      trigger: "api",
      input: "customer=filter-me",
    });
    const listed = await p
      .locator("#runs-body tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-run-id")));
    expect(listed).toEqual([failed]);
    // Counts ignore the status filter, so the other chips keep their numbers.
    const counts = await p.getByTestId("status-counts").innerText();
    expect(counts).toMatch(/failed\s*\d+/);
    await p.locator("#f-q").fill(other.slice(0, 14));
    await p.locator("#f-input").fill("");
    await p.getByRole("button", { name: "Apply" }).click();
    await p.waitForURL(/q=run_/);
    expect(
      await p.locator("#runs-body tr").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-run-id"))),
    ).toEqual([other]);
  });

  it("never reloads while a listed run sleeps: rows change in place and typing survives", async () => {
    const sleeping = await d.start("delayed-followup", { to: "x", delay: "1h" });
    await runUntil(d, sleeping, ["sleeping"]);
    const p = await d.page();
    let navigations = 0;
    p.on("framenavigated", (frame) => {
      if (frame === p.mainFrame()) navigations++;
    });
    await p.goto(`${d.server.url}/ui/runs`);
    await p.locator("#f-q").fill("typed but not submitted");
    await p.waitForTimeout(10_000);
    expect(navigations).toBe(1);
    expect(await p.locator("#f-q").inputValue()).toBe("typed but not submitted");
    // A new run and a status change arrive without a reload.
    const fresh = await d.start("greeting", { name: "live" });
    await fetch(`${d.server.url}/runs/${sleeping}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    await expect.poll(() => p.locator(`tr[data-run-id="${fresh}"]`).count(), { timeout: 15_000 }).toBe(1);
    await expect
      .poll(() => p.locator(`tr[data-run-id="${sleeping}"]`).getAttribute("data-status"), { timeout: 15_000 })
      .toBe("canceled");
    expect(navigations).toBe(1);
    expect(await p.locator("#f-q").inputValue()).toBe("typed but not submitted");
  });
});
