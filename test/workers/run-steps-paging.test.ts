// GET /runs/:id pages a big run's steps: a first page and a cursor that yields every step once.
import { describe, expect, it } from "vitest";
import { request, startRun, waitForStatus } from "./helpers.ts";

type Page = { status: string; steps: { id: string }[]; nextStepsCursor?: string; usage: unknown };

async function get(path: string): Promise<Page> {
  const response = await request(path);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

describe("run steps paging", () => {
  it("returns steps_limit steps and a cursor, and following the cursors yields every step once in order", async () => {
    const runId = await startRun("fixture-many-large", { count: 25, kib: 0 });
    await waitForStatus(runId, ["sleeping"]);
    const whole = await get(`/runs/${runId}`);
    expect(whole.steps).toHaveLength(26);
    expect(whole.nextStepsCursor).toBeUndefined();

    const first = await get(`/runs/${runId}?steps_limit=7`);
    expect(first.steps).toHaveLength(7);
    expect(first.nextStepsCursor).toBe(first.steps[6]!.id);
    expect(first.usage).toEqual(whole.usage);
    const ids = first.steps.map((s) => s.id);
    let cursor = first.nextStepsCursor;
    let pages = 1;
    while (cursor) {
      const page = await get(`/runs/${runId}?steps_limit=7&steps_after=${encodeURIComponent(cursor)}`);
      ids.push(...page.steps.map((s) => s.id));
      cursor = page.nextStepsCursor;
      pages++;
    }
    expect(pages).toBe(4);
    expect(ids).toEqual(whole.steps.map((s) => s.id));
  });

  it("answers an unknown step cursor with an empty page and a bad steps_limit with 400", async () => {
    const runId = await startRun("fixture-many-large", { count: 2, kib: 0 });
    await waitForStatus(runId, ["sleeping"]);
    const page = await get(`/runs/${runId}?steps_after=nope%2399`);
    expect(page.steps).toEqual([]);
    expect(page.nextStepsCursor).toBeUndefined();
    expect((await request(`/runs/${runId}?steps_limit=0`)).status).toBe(400);
  });
});
