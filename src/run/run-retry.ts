// The run object's side of a retry: what a finished run hands its retry (the seed, retry-plan.ts),
// the audit record it keeps of being retried, and storing a seed in the new run's log.
import type { AppendOptions } from "../../sdk/engine/event-log.ts";
import type { NewRunEvent } from "../../sdk/engine/events.ts";
import type { SqlEventLog } from "../log/sql-event-log.ts";
import { fail, type Result } from "./result.ts";
import { retrySeed } from "./retry-plan.ts";
import type { RunStore } from "./run-store.ts";

/** What a retry starts from: the old run's workflow and input, and the events its new run copies. */
export interface RetrySource {
  workflow: string;
  input: unknown;
  seed: NewRunEvent[];
}

/** Only a run that ended without success can be retried: a live one is still going. */
const RETRYABLE = new Set(["failed", "canceled"]);

/** The retry source of a failed or canceled run (with its large values loaded from R2). */
export function retrySourceOf(store: RunStore, fromStep?: string): Promise<Result<RetrySource>> {
  return store.atomically((log): Result<RetrySource> => {
    const row = store.row();
    if (!row) return fail("run_not_found", "no run with this id");
    if (!RETRYABLE.has(row.status))
      return fail("run_not_retryable", `only a failed or canceled run can be retried; this one is ${row.status}`, {
        status: row.status,
      });
    const seed = retrySeed(log.events, fromStep);
    if (!seed.ok) return seed;
    const started = log.events[0];
    const input = started?.type === "run_started" ? started.input : undefined;
    return { ok: true, value: { workflow: row.workflow, input, seed: seed.value } };
  });
}

/**
 * Records in a finished run's log that run `by` retries it. Appending after the terminal event is
 * allowed for this audit record only: it has no projection, so the run stays finished as it was.
 * Recording the same retry twice keeps one record.
 */
export function markRetried(
  store: RunStore,
  by: string,
  reason?: string,
  via?: string,
): Promise<Result<{ runId: string }>> {
  return store.atomically((log): Result<{ runId: string }> => {
    const row = store.row();
    if (!row) return fail("run_not_found", "no run with this id");
    if (!RETRYABLE.has(row.status)) return fail("run_not_retryable", `the run is ${row.status}`);
    if (!log.events.some((event) => event.type === "run_retried" && event.by === by))
      log.append({ type: "run_retried", by, ...(reason ? { reason } : {}), ...(via ? { via } : {}) });
    return { ok: true, value: { runId: row.id } };
  });
}

/** A seed event and how to append it. */
export interface SeedEntry {
  event: NewRunEvent;
  options?: AppendOptions;
}

/**
 * Stores the large outputs of a seed outside the log first, as the driver does for the outputs it
 * records, so the new run's rows stay as small as the old run's were.
 */
export async function storeSeed(log: SqlEventLog, seed: readonly NewRunEvent[]): Promise<SeedEntry[]> {
  const entries: SeedEntry[] = [];
  for (const event of seed) {
    if (event.type !== "step_completed" || !log.externalize || log.largeValueBytes === undefined) {
      entries.push({ event });
      continue;
    }
    const json = JSON.stringify(event.output ?? null);
    const bytes = new TextEncoder().encode(json).byteLength;
    if (bytes < log.largeValueBytes) entries.push({ event });
    else entries.push({ event, options: { externalOutput: await log.externalize(json, bytes) } });
  }
  return entries;
}
