// Operating many runs from the dashboard in Debian's Chromium against wrangler dev: pausing a
// workflow from its page (new runs wait as queued, resuming starts them) and a bulk cancel from a
// filtered run list (counted first, then confirmed, then followed to completion).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dashboard, openDashboard, runUntil } from "./dashboard-browser.ts";

let d: Dashboard;

beforeAll(async () => {
  d = await openDashboard();
});

afterAll(async () => {
  await d?.stop();
});

type Workflow = { paused: boolean; pauseReason?: string; pausedBy?: string };
type HeldRun = { status: string; queue?: { reason: string }; cancelReason?: string };

const json = async <T>(path: string) => (await (await fetch(`${d.server.url}${path}`)).json()) as T;

describe("dashboard operations", () => {
  it("pauses a workflow from its page, holds new runs as queued (paused), and resumes them", async () => {
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/workflows/greeting`);
    await p.locator('input[name="reason"]').fill("maintenance window");
    // The form asks first (window.confirm).
    p.once("dialog", (dialog) => void dialog.accept());
    await p.getByTestId("pause-toggle").click();
    await expect.poll(() => p.getByTestId("pause-toggle").innerText(), { timeout: 10_000 }).toBe("Resume workflow");
    expect(await json<Workflow>("/workflows/greeting")).toMatchObject({
      paused: true,
      pauseReason: "maintenance window",
      pausedBy: "dashboard",
    });

    const runId = await d.start("greeting", { name: "Held" });
    await expect
      .poll(async () => (await json<HeldRun>(`/runs/${runId}`)).queue?.reason, { timeout: 10_000 })
      .toBe("paused");

    p.once("dialog", (dialog) => void dialog.accept());
    await p.getByTestId("pause-toggle").click();
    await expect.poll(() => p.getByTestId("pause-toggle").innerText(), { timeout: 10_000 }).toBe("Pause workflow");
    expect((await json<Workflow>("/workflows/greeting")).paused).toBe(false);
    expect((await runUntil(d, runId, ["success", "failed"])).status).toBe("success");
  });

  it("cancels every sleeping run of a workflow with one bulk action, counted before it acts", async () => {
    const runIds = await Promise.all([1, 2, 3].map(() => d.start("delayed-followup", { to: "x", delay: "1h" })));
    for (const runId of runIds) await runUntil(d, runId, ["sleeping"]);
    const p = await d.page();
    await p.goto(`${d.server.url}/ui/runs?workflow=delayed-followup&status=sleeping`);
    await p.getByTestId("bulk").click();
    await p.locator("#bulk-action").selectOption("cancel");
    await p.locator("#bulk-reason").fill("campaign stopped");
    await p.getByTestId("bulk-count").click();
    // Nothing has happened yet: the page counts the runs the filter matches.
    await expect.poll(() => p.getByTestId("bulk-confirm").innerText(), { timeout: 10_000 }).toContain("cancel 3 runs?");
    for (const runId of runIds) expect((await d.run(runId)).status).toBe("sleeping");

    await p.getByTestId("bulk-confirm-go").click();
    const progress = p.getByTestId("bulk-progress");
    await expect.poll(() => progress.getAttribute("data-status"), { timeout: 30_000 }).toBe("completed");
    expect(await progress.innerText()).toContain("3 done · 0 failed · 3 matched");
    for (const runId of runIds) {
      const run = await json<HeldRun>(`/runs/${runId}`);
      expect(run.status).toBe("canceled");
      expect(run.cancelReason).toBe("campaign stopped");
    }
  });
});
