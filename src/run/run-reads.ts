// What the run object answers to reads: the run record (run-view.ts), pages of its event log,
// waiting for new events, and its hooks. Nothing here writes.
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import { query } from "../log/sql.ts";
import type { HookRow } from "./hook-resume.ts";
import { fail, type Result } from "./result.ts";
import type { RunStore } from "./run-store.ts";
import { type RunView, runView, type ViewOptions } from "./run-view.ts";
import { buildTrace, pageTrace, type Span } from "./trace.ts";

/** The run record, with its trace when asked. */
export async function readRun(
  store: RunStore,
  resumeUrl: (token: string) => string,
  options: { showTokens: boolean; includeTrace?: boolean; steps?: ViewOptions["steps"] },
): Promise<Result<RunView & { trace?: Span[] }>> {
  // Checked before the log loads: a run whose large values are being deleted cannot be read back.
  if (store.purgeDue()) return fail("run_not_found", "no run with this id");
  const log = await store.log();
  const row = store.row();
  if (!row) return fail("run_not_found", "no run with this id");
  const view = runView(row, log.events, { resumeUrl, showTokens: options.showTokens, steps: options.steps });
  // The trace follows the page of steps: spans of the steps on it, not of all 100,000.
  const trace = options.includeTrace ? pageTrace(buildTrace(log.events), view.steps) : undefined;
  return { ok: true, value: { ...view, ...(trace ? { trace } : {}) } };
}

/** Up to `limit` events after `after`, and where the next page starts. */
export async function readEvents(store: RunStore, after: number, limit: number) {
  if (store.purgeDue()) return fail("run_not_found", "no run with this id");
  const log = await store.log();
  if (!store.row()) return fail("run_not_found", "no run with this id");
  const page = log.events.slice(after, after + limit);
  const next = after + page.length < log.events.length ? after + page.length : undefined;
  return { ok: true as const, value: { events: page, next } };
}

/** Resolves once the log has more than `after` events (or the run is finished, or time is up). */
export async function awaitEvents(store: RunStore, after: number, timeoutMs: number) {
  const log = await store.log();
  if (!isFinishedStatus(store.row()?.status)) await log.waitForMore(after, timeoutMs);
  return { length: log.events.length, finished: isFinishedStatus(store.row()?.status) };
}

/** The run's `hooks` projection, as hook-resume.ts checks it. */
export function hookRows(store: RunStore, sql: SqlStorage): HookRow[] {
  // A run creates its hooks table with its first hook.
  if (!store.schema.has("hooks")) return [];
  return query<HookRow>(sql, "SELECT step_id, token, status, timeout_at FROM hooks");
}
