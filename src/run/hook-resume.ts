// Whether a hook may be resumed, decided from the run's row and its hooks table alone. The run
// object calls it in the same synchronous segment as the append, so two resumes (or a resume and
// a cancel) can never both pass it.
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import { safeEqual } from "./ids.ts";
import { fail, type Result } from "./result.ts";
import type { RunRow } from "./run-view.ts";

/** One row of the run's `hooks` projection. */
export interface HookRow {
  step_id: string;
  token: string;
  status: string;
  timeout_at: number | null;
  [column: string]: string | number | null;
}

/**
 * The open hook this token resumes, or why it cannot be resumed: 404 `hook_not_found` (unknown
 * token, run finished, timed out) or 409 `hook_already_resumed`. The token is compared with every
 * hook in constant time.
 */
export function checkHookResume(
  row: RunRow | undefined,
  hooks: readonly HookRow[],
  token: string,
  now: number,
): Result<HookRow> {
  let match: HookRow | undefined;
  for (const candidate of hooks) if (safeEqual(candidate.token, token)) match = candidate;
  if (!row || !match) return fail("hook_not_found", "no hook with this token");
  if (match.status === "resumed") return fail("hook_already_resumed", "this hook was already resumed");
  if (match.status !== "open" || isFinishedStatus(row.status))
    return fail("hook_not_found", "this hook is closed: its run finished or it timed out");
  if (match.timeout_at !== null && match.timeout_at <= now) return fail("hook_not_found", "this hook timed out");
  return { ok: true, value: match };
}
