// A big run's record stays bounded on every read path: `?wait=` answers one page of steps, and
// the trace (`include=trace`) follows the page instead of listing every step's spans.
import { describe, expect, it } from "vitest";
import { DEFAULT_STEPS_PAGE_SIZE } from "../../src/limits.ts";
import { request, startRun, waitForStatus } from "./helpers.ts";

type Record = {
  status: string;
  steps: { id: string }[];
  nextStepsCursor?: string;
  trace?: { stepId: string; kind: string }[];
};

async function get(path: string): Promise<Record> {
  const response = await request(path);
  expect(response.status).toBe(200);
  return (await response.json()) as Record;
}

describe("big run records", () => {
  it("answers ?wait= with one page of steps, not all of them", async () => {
    const runId = await startRun("fixture-many-large", { count: DEFAULT_STEPS_PAGE_SIZE + 100, kib: 0 });
    await waitForStatus(runId, ["sleeping"], 30_000);
    const waited = await get(`/runs/${runId}?wait=1`);
    expect(waited.steps).toHaveLength(DEFAULT_STEPS_PAGE_SIZE);
    expect(waited.nextStepsCursor).toBe(waited.steps.at(-1)!.id);
    const paged = await get(
      `/runs/${runId}?wait=1&steps_limit=5&steps_after=${encodeURIComponent(waited.steps[9]!.id)}`,
    );
    expect(paged.steps.map((s) => s.id)).toEqual(
      (await get(`/runs/${runId}?steps_limit=20`)).steps.slice(10, 15).map((s) => s.id),
    );
  }, 60_000);

  it("pages the trace with the steps: spans of the steps on the page only", async () => {
    const runId = await startRun("fixture-many-large", { count: 40, kib: 0 });
    await waitForStatus(runId, ["sleeping"]);
    const whole = await get(`/runs/${runId}?include=trace&steps_limit=1000`);
    expect(whole.trace!.length).toBeGreaterThanOrEqual(41);

    const first = await get(`/runs/${runId}?include=trace&steps_limit=7`);
    const ids = new Set(first.steps.map((s) => s.id));
    expect(first.trace!.length).toBeGreaterThanOrEqual(7);
    expect(first.trace!.every((span) => ids.has(span.stepId))).toBe(true);
    const next = await get(
      `/runs/${runId}?include=trace&steps_limit=7&steps_after=${encodeURIComponent(first.nextStepsCursor!)}`,
    );
    expect(next.trace!.some((span) => ids.has(span.stepId))).toBe(false);
    expect(next.trace!.every((span) => next.steps.some((s) => s.id === span.stepId))).toBe(true);

    const waited = await get(`/runs/${runId}?wait=1&include=trace&steps_limit=7`);
    expect(waited.steps.map((s) => s.id)).toEqual(first.steps.map((s) => s.id));
    expect(waited.trace).toEqual(first.trace);
  }, 60_000);
});
