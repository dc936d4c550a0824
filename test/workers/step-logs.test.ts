// Step logs through the real run object: each attempt's ctx.log and console lines on its step,
// parallel steps apart, a workflow body's ctx.log recorded once across replays, no secret stored.
import { describe, expect, it } from "vitest";
import { fireAlarmsUntil, request, startRun, testEnv, waitForStatus } from "./helpers.ts";

const FINISHED = ["success", "failed", "canceled"];

type LogLine = { attempt: number; level: string; at: string; message: string };
type Run = {
  status: string;
  steps: { id: string; attempts: number; logs?: LogLine[] }[];
  logs?: { id: string; level: string; at: string; message: string }[];
  trace?: { stepId: string; attempt?: number; logs?: { message: string }[] }[];
};

async function run(runId: string, query = "") {
  return (await (await request(`/runs/${runId}${query}`)).json()) as Run;
}

async function events(runId: string) {
  return (await (await request(`/runs/${runId}/events?limit=1000`)).json()) as {
    events: { type: string; logId?: string }[];
  };
}

describe("step logs", () => {
  it("keeps each attempt's lines with its level and time on the step, apart from the parallel step's", async () => {
    const runId = await startRun("fixture-step-logs", { key: crypto.randomUUID() });
    expect((await fireAlarmsUntil(runId, FINISHED)).status).toBe("success");
    const { steps } = await run(runId);
    const [left, right] = steps;
    expect(left?.attempts).toBe(2);
    // Two attempts of the left step: ctx.log, console.log and console.debug each time, then its
    // failure on the first attempt and its success on the second.
    expect(left?.logs?.map((l) => `${l.attempt} ${l.level} ${l.message}`)).toEqual([
      "1 info left: ctx.log on attempt 1",
      "1 info left: console.log { execution: 1 }",
      "1 debug left: console.debug",
      "1 error left: failing",
      "2 info left: ctx.log on attempt 2",
      "2 info left: console.log { execution: 2 }",
      "2 debug left: console.debug",
      "2 warn left: done",
    ]);
    expect(right?.logs?.map((l) => l.message)).toEqual([
      "right: ctx.log on attempt 1",
      "right: console.log { execution: 1 }",
      "right: console.debug",
      "right: done",
    ]);
    for (const line of [...left!.logs!, ...right!.logs!]) expect(Number.isNaN(Date.parse(line.at))).toBe(false);
  });

  it("records the workflow body's ctx.log once although the body replays after the retry and the sleep", async () => {
    const key = crypto.randomUUID();
    const runId = await startRun("fixture-step-logs", { key });
    expect((await fireAlarmsUntil(runId, FINISHED)).status).toBe("success");
    const { logs } = await run(runId);
    expect(logs?.map((l) => `${l.id} ${l.level} ${l.message}`)).toEqual([
      `log#0 info body: starting ${key}`,
      "log#1 warn body: after the sleep",
    ]);
    const logged = (await events(runId)).events.filter((e) => e.type === "run_logged");
    expect(logged.map((e) => e.logId)).toEqual(["log#0", "log#1"]);
  });

  it("shows each attempt's lines on its span of the trace", async () => {
    const runId = await startRun("fixture-step-logs", { key: crypto.randomUUID() });
    await fireAlarmsUntil(runId, FINISHED);
    const { trace } = await run(runId, "?include=trace");
    const left = trace?.filter((span) => span.stepId === "log-noisy#0");
    expect(left?.map((span) => span.logs?.length)).toEqual([4, 4]);
    expect(left?.[1]?.logs?.[0]?.message).toBe("left: ctx.log on attempt 2");
  });

  it("never stores a credential handed to the step or a secret-named binding", async () => {
    const secrets = testEnv as unknown as Record<string, string>;
    const credential = `logcred-${crypto.randomUUID()}`;
    secrets.LOGCRED_VALUE = credential;
    try {
      const runId = await startRun("fixture-step-log-secrets", {});
      // No timers: it finishes in its first pass (an alarm fired by hand after it finished would
      // move its clock to the retention timer and delete it).
      expect((await waitForStatus(runId, FINISHED)).status).toBe("success");
      const stored = JSON.stringify(await run(runId, "?include=trace")) + JSON.stringify(await events(runId));
      expect(stored).not.toContain(credential);
      expect(stored).not.toContain(secrets.CAIRN_ENCRYPTION_KEY);
      const { steps, logs } = await run(runId);
      expect(steps[0]?.logs?.map((l) => l.message)).toEqual([
        "credential is [redacted]",
        "console sees [redacted] and the env key [redacted]",
      ]);
      expect(logs?.[0]?.message).toBe("body sees [redacted]");
    } finally {
      delete secrets.LOGCRED_VALUE;
    }
  });
});
