// What the run record shows of flow control: why a queued run waits and since when, and why a
// skipped run never executed.
import type { RunEvent } from "../../sdk/engine/events.ts";

type Queued = Extract<RunEvent, { type: "run_queued" }>;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * `queue` for a run held back by flow control (status `queued`): the reason, the key, since when
 * (the first time it was held for this reason), until when (a delay) and its place when queued.
 */
export function queueView(status: string, events: readonly RunEvent[]) {
  if (status !== "queued") return undefined;
  const last = events.findLast((e): e is Queued => e.type === "run_queued");
  if (!last) return undefined;
  const admittedAfter = events.some((e) => e.type === "run_admitted" && e.seq > last.seq);
  if (admittedAfter) return undefined;
  return {
    reason: last.reason,
    ...(last.key ? { key: last.key } : {}),
    since: iso(last.at),
    ...(last.until !== undefined ? { until: iso(last.until) } : {}),
    ...(last.position !== undefined ? { position: last.position } : {}),
  };
}

/** `skipped` for a run flow control finished without executing: the reason, key, and who took over. */
export function skippedView(events: readonly RunEvent[]) {
  const skipped = events.findLast((e) => e.type === "run_skipped");
  if (skipped?.type !== "run_skipped") return undefined;
  return {
    reason: skipped.reason,
    ...(skipped.key ? { key: skipped.key } : {}),
    ...(skipped.by ? { by: skipped.by } : {}),
    message: skipped.message,
    at: iso(skipped.at),
  };
}
