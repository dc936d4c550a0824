// Offloaded steps in the pure driver (decision 0023): a step marked `offload` is started, handed to
// the port and suspended on; replays wait for its report until it is overdue, then dispatch again.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { MemoryEventLog } from "cairn-workflows/testing";
import { defineWorkflow } from "cairn-workflows/workflow";
import { drive } from "../../sdk/engine/driver.ts";
import {
  type OffloadedAttempt,
  type OffloadPort,
  reportedFailure,
  reportIsCurrent,
  stepRecordOf,
} from "../../sdk/engine/offload.ts";
import { offloadPort } from "../../src/run/offload-port.ts";
import { planSuspension } from "../../src/run/suspension.ts";

const calls: string[] = [];
const fetchPage = defineAction({
  slug: "unit-offload-fetch",
  offload: true,
  input: z.object({ url: z.string() }),
  output: z.object({ body: z.string() }),
  retries: { maxAttempts: 2, initialDelay: "1s" },
  run: async ({ url }) => {
    calls.push(url);
    return { body: `page ${url}` };
  },
});

const reader = defineWorkflow({
  slug: "unit-offload-reader",
  input: z.object({ url: z.string() }),
  output: z.string(),
  run: async ({ url }) => (await fetchPage.run({ url })).body,
});

const WITHIN_MS = 60_000;
/** The log's clock: the driver's now never runs behind the wall clock, so the test's times start there. */
const T = Date.now();

function port(): OffloadPort & { sent: OffloadedAttempt[] } {
  const sent: OffloadedAttempt[] = [];
  return { sent, accepts: () => true, dispatch: (attempt) => sent.push(attempt), reportWithinMs: () => WITHIN_MS };
}

function newLog(): MemoryEventLog {
  const log = new MemoryEventLog({ clock: () => T });
  log.append({
    type: "run_started",
    workflow: reader.slug,
    input: { url: "a" },
    trigger: { type: "api" },
    triggeredAt: 0,
  });
  return log;
}

describe("offloaded steps in the driver", () => {
  it("records the start, dispatches the attempt and suspends on it without executing it", async () => {
    calls.length = 0;
    const log = newLog();
    const offload = port();
    const outcome = await drive(reader, log, { runId: "r1", now: T + 1_000, offload });
    expect(outcome).toEqual({
      status: "suspended",
      waits: [{ kind: "offload", stepId: "unit-offload-fetch#0", wakeAt: T + 60_000 }],
    });
    expect(calls).toEqual([]);
    expect(offload.sent).toMatchObject([
      { runId: "r1", stepId: "unit-offload-fetch#0", attempt: 1, name: "unit-offload-fetch", input: { url: "a" } },
    ]);
    expect(log.events.map((e) => e.type)).toEqual(["run_started", "step_started"]);
    // The run stays `running`; the deadline is a timer but not the run's wakeAt.
    expect(planSuspension([{ kind: "offload", stepId: "s#0", wakeAt: 5 }])).toEqual({
      status: "running",
      wakeAt: null,
      timers: [{ key: "offload:s#0", kind: "offload", dueAt: 5 }],
    });
  });

  it("waits on a replay before the report is due, and dispatches the same attempt again once it is overdue", async () => {
    const log = newLog();
    const offload = port();
    await drive(reader, log, { runId: "r2", now: T + 1_000, offload });
    await drive(reader, log, { runId: "r2", now: T + 30_000, offload });
    expect(offload.sent).toHaveLength(1);
    await drive(reader, log, { runId: "r2", now: T + 61_000, offload });
    expect(offload.sent.map((s) => s.attempt)).toEqual([1, 1]);
    expect(log.events.filter((e) => e.type === "step_started")).toHaveLength(2);
  });

  it("replays a reported outcome, and takes a report only for the attempt in flight", async () => {
    const log = newLog();
    const offload = port();
    await drive(reader, log, { runId: "r3", now: T + 1_000, offload });
    const stepId = "unit-offload-fetch#0";
    expect(reportIsCurrent(stepRecordOf(log.events, stepId), 2)).toBe(false);
    expect(reportIsCurrent(stepRecordOf(log.events, stepId), 1)).toBe(true);
    const failure = { ok: false as const, error: { name: "Error", message: "503" }, nonRetryable: false };
    const retry = reportedFailure(stepRecordOf(log.events, stepId)!, 1, failure, T + 2_000);
    expect(retry).toMatchObject({ type: "step_retrying", attempt: 1, retryAt: T + 3_000 });
    log.append(retry);
    expect(reportIsCurrent(stepRecordOf(log.events, stepId), 1)).toBe(false);
    // After the backoff the pass offloads attempt 2; its report completes the step.
    await drive(reader, log, { runId: "r3", now: T + 3_000, offload });
    expect(offload.sent.map((s) => s.attempt)).toEqual([1, 2]);
    expect(reportedFailure(stepRecordOf(log.events, stepId)!, 2, failure, T + 4_000)).toMatchObject({
      type: "step_failed",
    });
    log.append({ type: "step_completed", stepId, output: { body: "page a" } });
    expect(reportIsCurrent(stepRecordOf(log.events, stepId), 2)).toBe(false);
    expect(await drive(reader, log, { runId: "r3", now: T + 4_000, offload })).toEqual({
      status: "completed",
      output: "page a",
    });
  });

  it("resumes at once when the report lands while the pass that dispatched the step still runs", async () => {
    const log = newLog();
    // The report is recorded as soon as the attempt leaves: before the pass suspends.
    const racing: OffloadPort = {
      ...port(),
      dispatch: ({ stepId }) =>
        queueMicrotask(() => log.append({ type: "step_completed", stepId, output: { body: "x" } })),
    };
    const outcome = await drive(reader, log, { runId: "r6", now: T + 1_000, offload: racing });
    expect(outcome).toEqual({ status: "suspended", waits: [{ kind: "yield", wakeAt: T + 1_000 }] });
  });

  it("runs the step in the pass without a port (no FANOUT queue) and when the input cannot travel", async () => {
    calls.length = 0;
    expect(await drive(reader, newLog(), { runId: "r4" })).toEqual({ status: "completed", output: "page a" });
    const tooBig = { ...port(), accepts: () => false };
    expect(await drive(reader, newLog(), { runId: "r5", offload: tooBig })).toEqual({
      status: "completed",
      output: "page a",
    });
    expect(tooBig.sent).toEqual([]);
    expect(calls).toEqual(["a", "a"]);
    // The run object offers no port without the FANOUT binding, and none for an input over 96 KiB.
    expect(offloadPort({}, [])).toBeUndefined();
    const queue = { send: async () => undefined } as unknown as Parameters<typeof offloadPort>[0]["FANOUT"];
    const real = offloadPort({ FANOUT: queue }, [])!;
    expect([real.accepts({ text: "x".repeat(1_000) }), real.accepts({ text: "x".repeat(200_000) })]).toEqual([
      true,
      false,
    ]);
    expect([real.reportWithinMs(undefined), real.reportWithinMs(30_000)]).toEqual([15 * 60_000, 90_000]);
  });
});
