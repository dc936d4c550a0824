// `GET /runs/:runId/events?follow=1`: the event log as Server-Sent Events, each event as it is
// appended, resumable from a sequence number (`?after=` or `Last-Event-ID`); ends with the run, or
// after a maximum lifetime with a `retry:` hint so EventSource reconnects where it left off. Streams
// are capped per run and per isolate (each holds memory and a Durable Object wait).
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { isTerminalEvent } from "../../sdk/engine/run-status.ts";
import type { Env } from "../env.ts";
import { MAX_STREAMS_PER_ISOLATE, MAX_STREAMS_PER_RUN, STREAM_MAX_LIFETIME_MS, STREAM_RETRY_MS } from "../limits.ts";
import type { runStub } from "../run/start-run.ts";
import { ApiError } from "./errors.ts";

/** How long one wait for new events lasts before a keep-alive comment. */
const WAIT_MS = 15_000;

/**
 * The caps and lifetime in force (the named limits); tests lower them rather than open hundreds of
 * streams or wait minutes.
 */
export const streamLimits = {
  perRun: MAX_STREAMS_PER_RUN,
  perIsolate: MAX_STREAMS_PER_ISOLATE,
  lifetimeMs: STREAM_MAX_LIFETIME_MS,
};

// Open streams in this isolate, by run id. (Per isolate: a cap across isolates would need the run
// object to count its waiters.)
const openByRun = new Map<string, number>();
let openTotal = 0;

/** Counts a new stream in, or throws 429 `too_many_streams` with Retry-After when a cap is reached. */
function admit(c: Context, runId: string): () => void {
  const forRun = openByRun.get(runId) ?? 0;
  if (forRun >= streamLimits.perRun || openTotal >= streamLimits.perIsolate) {
    const retryAfterSeconds = Math.ceil(STREAM_RETRY_MS / 1000);
    c.header("retry-after", String(retryAfterSeconds));
    const scope = forRun >= streamLimits.perRun ? `run ${runId}` : "this server";
    throw new ApiError("too_many_streams", `too many live event streams are open for ${scope}; retry later`, {
      retryAfterSeconds,
    });
  }
  openByRun.set(runId, forRun + 1);
  openTotal++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    openTotal--;
    const left = (openByRun.get(runId) ?? 1) - 1;
    if (left > 0) openByRun.set(runId, left);
    else openByRun.delete(runId);
  };
}

/** Streams the run's events from after `after` (see the header comment). */
export function followEvents(c: Context<{ Bindings: Env }>, stub: ReturnType<typeof runStub>, after: number) {
  const release = admit(c, c.req.param("runId") ?? "");
  const deadline = Date.now() + streamLimits.lifetimeMs;
  return streamSSE(c, async (stream) => {
    try {
      let cursor = after;
      let finished = false;
      while (!finished && !stream.aborted) {
        const page = (await stub.events(cursor, 500)) as { ok: boolean; value?: { events: RunEvent[] } };
        const events = page.value?.events ?? [];
        for (const event of events) {
          await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event) });
          if (isTerminalEvent(event.type)) finished = true;
        }
        cursor += events.length;
        if (finished || events.length) continue;
        const remainingMs = deadline - Date.now();
        if (remainingMs <= 0) {
          // An id-only block sets EventSource's last event id without dispatching an event, so the
          // reconnect (after `retry` ms) resumes from here with Last-Event-ID.
          await stream.write(`id: ${cursor}\nretry: ${STREAM_RETRY_MS}\n\n`);
          return;
        }
        const { length, finished: ended } = await stub.waitForEvents(cursor, Math.min(WAIT_MS, remainingMs));
        if (length > cursor) continue;
        if (ended) finished = true;
        else await stream.write(": keep-alive\n\n");
      }
    } finally {
      release();
    }
  });
}
