// `GET /runs/:runId/events?follow=1`: the event log as Server-Sent Events, each event as it is
// appended, resumable from a sequence number (`?after=` or `Last-Event-ID`); ends with the run.
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { isTerminalEvent } from "../../sdk/engine/run-status.ts";
import type { Env } from "../env.ts";
import type { runStub } from "../run/start-run.ts";

/** How long one wait for new events lasts before a keep-alive comment. */
const WAIT_MS = 15_000;

export function followEvents(c: Context<{ Bindings: Env }>, stub: ReturnType<typeof runStub>, after: number) {
  return streamSSE(c, async (stream) => {
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
      const { length, finished: ended } = await stub.waitForEvents(cursor, WAIT_MS);
      if (length > cursor) continue;
      if (ended) finished = true;
      else await stream.write(": keep-alive\n\n");
    }
  });
}
