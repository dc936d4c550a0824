// Live event streams are bounded: a cap per run and per isolate (429 too_many_streams with
// Retry-After), and a maximum lifetime that ends a stream with a `retry:` hint and its last event id,
// from which the reconnect resumes.
import { createExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { streamLimits } from "../../src/http/live-events.ts";
import { MAX_STREAMS_PER_ISOLATE, MAX_STREAMS_PER_RUN, STREAM_MAX_LIFETIME_MS } from "../../src/limits.ts";
import worker from "../fixtures/worker.ts";
import { fireAlarmsUntil, startRun, testEnv, waitForStatus } from "./helpers.ts";

function follow(runId: string, headers: Record<string, string> = {}, query = ""): Promise<Response> {
  return worker.fetch(
    new Request(`http://cairn.test/runs/${runId}/events?follow=1${query}`, { headers }),
    testEnv,
    createExecutionContext(),
  );
}

async function sleepingRun(): Promise<string> {
  const runId = await startRun("fixture-sleeper", { key: crypto.randomUUID(), duration: "1h" });
  await waitForStatus(runId, ["sleeping"]);
  return runId;
}

afterEach(() => {
  streamLimits.perRun = MAX_STREAMS_PER_RUN;
  streamLimits.perIsolate = MAX_STREAMS_PER_ISOLATE;
  streamLimits.lifetimeMs = STREAM_MAX_LIFETIME_MS;
});

describe("live event stream limits", () => {
  it("refuses a stream over the per-run cap with 429 and Retry-After, and admits one once a stream ends", async () => {
    streamLimits.perRun = 2;
    const runId = await sleepingRun();
    const open = [await follow(runId), await follow(runId)];
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const refused = await follow(runId);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("too_many_streams");
    await fireAlarmsUntil(runId, ["success"]);
    for (const response of open) expect(await response.text()).toContain("event: run_completed");
    const admitted = await follow(runId);
    expect(admitted.status).toBe(200);
    await admitted.text();
  });

  it("refuses a stream over the per-isolate cap, whatever the run", async () => {
    streamLimits.perIsolate = 1;
    const first = await sleepingRun();
    const second = await sleepingRun();
    const open = await follow(first);
    expect(open.status).toBe(200);
    expect((await follow(second)).status).toBe(429);
    await fireAlarmsUntil(first, ["success"]);
    await open.text();
    const later = await follow(second);
    expect(later.status).toBe(200);
    await fireAlarmsUntil(second, ["success"]);
    await later.text();
  });

  it("ends a stream at its lifetime with a retry hint and its last event id, and the reconnect resumes there", async () => {
    streamLimits.lifetimeMs = 0;
    const runId = await sleepingRun();
    const text = await (await follow(runId)).text();
    const last = Math.max(...[...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])));
    expect(last).toBeGreaterThan(0);
    expect(text.trimEnd().endsWith(`id: ${last}\nretry: 1000`)).toBe(true);
    expect(text).not.toContain("run_completed");
    streamLimits.lifetimeMs = STREAM_MAX_LIFETIME_MS;
    // EventSource reconnects with its original URL (`?after=0`) and the Last-Event-ID it was given.
    const reconnect = await follow(runId, { "last-event-id": String(last) }, "&after=0");
    await fireAlarmsUntil(runId, ["success"]);
    const ids = [...(await reconnect.text()).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids[0]).toBe(last + 1);
  });
});
