// The history's side of version pinning and blocked runs (decision 0018): each entry keeps the
// code its run started on (the `version` filter), and each shard remembers the deployment it last
// saw, so a new deployment wakes its blocked runs at once instead of at their next sweep.
import type { RunSummary } from "../run/run-view.ts";
import { query, run } from "../log/sql.ts";
import { BLOCKED_RECHECK_MS } from "../limits.ts";

/** Adds the version columns and the last-seen deployment to a history shard made before them. */
export function migrateRunVersions(sql: SqlStorage): void {
  const columns = query<{ name: string }>(sql, "PRAGMA table_info(runs)").map((c) => c.name);
  if (!columns.includes("run_deployment")) run(sql, "ALTER TABLE runs ADD COLUMN run_deployment TEXT");
  if (!columns.includes("run_structure")) run(sql, "ALTER TABLE runs ADD COLUMN run_structure TEXT");
  run(sql, "CREATE TABLE IF NOT EXISTS seen_deployment (id TEXT NOT NULL)");
  // Only blocked entries, so waking them never scans the shard's whole history.
  run(sql, "CREATE INDEX IF NOT EXISTS runs_blocked_by_checked ON runs (checked_at) WHERE status = 'blocked'");
}

/** Blocked entries checked before `?`, least recently checked first: read through `runs_blocked_by_checked`. */
export const BLOCKED_ENTRIES_SQL =
  "SELECT run_id FROM runs WHERE status = 'blocked' AND checked_at < ? ORDER BY checked_at ASC LIMIT ?";

/** Stores the version of a run's entry once (it never changes after the start). */
export function recordRunVersion(sql: SqlStorage, summary: RunSummary): void {
  if (!summary.version) return;
  run(
    sql,
    "UPDATE runs SET run_deployment = ?, run_structure = ? WHERE run_id = ? AND run_deployment IS NULL AND run_structure IS NULL",
    summary.version.deployment ?? null,
    summary.version.structure ?? null,
    summary.runId,
  );
}

/** The WHERE clause of `?version=`: a deployment id or a structure hash. */
export const VERSION_FILTER = "(run_deployment = ? OR run_structure = ?)";

/**
 * Blocked runs to wake, least recently checked first: every one (up to `limit`) when `deployment`
 * is new to this shard, else those not checked for BLOCKED_RECHECK_MS. Marks them checked.
 */
export function takeBlockedRuns(sql: SqlStorage, now: number, limit: number, deployment?: string): string[] {
  const seen = query<{ id: string }>(sql, "SELECT id FROM seen_deployment")[0]?.id;
  const newDeployment = deployment !== undefined && deployment !== seen;
  if (newDeployment) {
    run(sql, "DELETE FROM seen_deployment");
    run(sql, "INSERT INTO seen_deployment (id) VALUES (?)", deployment);
  }
  const rows = query<{ run_id: string }>(
    sql,
    BLOCKED_ENTRIES_SQL,
    newDeployment ? Number.MAX_SAFE_INTEGER : now - BLOCKED_RECHECK_MS,
    limit,
  );
  for (const row of rows) run(sql, "UPDATE runs SET checked_at = ? WHERE run_id = ?", now, row.run_id);
  return rows.map((row) => row.run_id);
}
