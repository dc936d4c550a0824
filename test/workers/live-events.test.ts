import { describe, expect, it } from "vitest";
import { fireAlarmsUntil, request, startRun, waitForStatus } from "./helpers.ts";

/** Reads an SSE response to its end and returns the events it carried. */
async function readStream(
  response: Response,
): Promise<{ id: string; event: string; data: { seq: number; type: string } }[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.includes("data:"))
    .map((block) => {
      const field = (name: string) =>
        block
          .split("\n")
          .find((line) => line.startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim() ?? "";
      return { id: field("id"), event: field("event"), data: JSON.parse(field("data")) };
    });
}

describe("live events", () => {
  it("streams every event of a run in order as Server-Sent Events, ending with the run", async () => {
    const runId = await startRun("fixture-sleeper", { key: crypto.randomUUID(), duration: "1h" });
    await waitForStatus(runId, ["sleeping"]);
    const response = await request(`/runs/${runId}/events?follow=1`);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const finished = fireAlarmsUntil(runId, ["success"]);
    const events = await readStream(response);
    await finished;
    expect(events.map((e) => e.data.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.event)).toContain("sleep_completed");
    expect(events.at(-1)?.event).toBe("run_completed");
    expect(events.every((e) => e.id === String(e.data.seq))).toBe(true);
  });

  it("resumes from a sequence number given as Last-Event-ID", async () => {
    const runId = await startRun("fixture-signup", { email: "sse@example.com" });
    await waitForStatus(runId, ["success"]);
    const events = await readStream(
      await request(`/runs/${runId}/events?follow=1`, { headers: { "last-event-id": "3" } }),
    );
    expect(events[0]?.data.seq).toBe(4);
    expect(events.at(-1)?.event).toBe("run_completed");
  });

  it("adds a trace with one span per attempt when asked", async () => {
    const runId = await startRun("fixture-retrying", { key: crypto.randomUUID(), failures: 1 });
    await fireAlarmsUntil(runId, ["success"]);
    const run = (await (await request(`/runs/${runId}?include=trace`)).json()) as {
      trace: { id: string; status: string }[];
    };
    expect(run.trace.map((s) => [s.id, s.status])).toEqual([
      ["failing-step#0@1", "retrying"],
      ["failing-step#0@2", "completed"],
    ]);
  });
});
