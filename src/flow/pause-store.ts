// A workflow's pause flag, replicated in every history shard (decision 0020): a run's first pass
// asks its own shard, so no single object sees every start. Each shard also keeps the runs it held
// back (in the order they were accepted) and a log of who paused and resumed, and why.
import { query, run } from "../log/sql.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS flow_paused (workflow TEXT PRIMARY KEY, paused_at INTEGER NOT NULL, reason TEXT, by TEXT);
CREATE TABLE IF NOT EXISTS flow_paused_runs (
  workflow TEXT NOT NULL, run_id TEXT NOT NULL, accepted_at INTEGER NOT NULL, PRIMARY KEY (workflow, run_id));
CREATE TABLE IF NOT EXISTS flow_pause_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, workflow TEXT NOT NULL, action TEXT NOT NULL, at INTEGER NOT NULL, by TEXT, reason TEXT);
`;

/** A paused workflow as the API shows it. */
export interface PauseState {
  workflow: string;
  pausedAt: number;
  reason?: string;
  by?: string;
}

/** One pause or resume, for the audit trail. */
export interface PauseRecord {
  action: "pause" | "resume";
  at: number;
  by?: string;
  reason?: string;
}

export class PauseStore {
  private ready = false;

  constructor(private readonly storage: DurableObjectStorage) {}

  private get sql(): SqlStorage {
    if (!this.ready) {
      run(this.storage.sql, SCHEMA);
      this.ready = true;
    }
    return this.storage.sql;
  }

  /** The pause of `workflow`, if paused; a paused check also records the run to release on resume. */
  check(workflow: string, hold?: { runId: string; acceptedAt: number }): PauseState | undefined {
    const row = query<{ paused_at: number; reason: string | null; by: string | null }>(
      this.sql,
      "SELECT paused_at, reason, by FROM flow_paused WHERE workflow = ?",
      workflow,
    )[0];
    if (!row) return undefined;
    if (hold)
      run(
        this.sql,
        "INSERT OR IGNORE INTO flow_paused_runs (workflow, run_id, accepted_at) VALUES (?, ?, ?)",
        workflow,
        hold.runId,
        hold.acceptedAt,
      );
    return {
      workflow,
      pausedAt: row.paused_at,
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.by ? { by: row.by } : {}),
    };
  }

  /** Every paused workflow in this shard. */
  list(): PauseState[] {
    return query<{ workflow: string }>(this.sql, "SELECT workflow FROM flow_paused").map(
      (r) => this.check(r.workflow)!,
    );
  }

  /** Pauses (a second pause keeps the first one's time) and records who and why. */
  pause(workflow: string, at: number, by?: string, reason?: string): PauseState {
    this.storage.transactionSync(() => {
      run(
        this.sql,
        "INSERT INTO flow_paused (workflow, paused_at, reason, by) VALUES (?, ?, ?, ?) ON CONFLICT(workflow) DO UPDATE SET reason = excluded.reason, by = excluded.by",
        workflow,
        at,
        reason ?? null,
        by ?? null,
      );
      this.record(workflow, "pause", at, by, reason);
    });
    return this.check(workflow)!;
  }

  /** Clears the flag and hands back the runs held here, oldest first; they are forgotten here. */
  resume(workflow: string, at: number, by?: string, reason?: string): { runId: string; acceptedAt: number }[] {
    let held: { runId: string; acceptedAt: number }[] = [];
    this.storage.transactionSync(() => {
      held = query<{ run_id: string; accepted_at: number }>(
        this.sql,
        "SELECT run_id, accepted_at FROM flow_paused_runs WHERE workflow = ? ORDER BY accepted_at, run_id",
        workflow,
      ).map((r) => ({ runId: r.run_id, acceptedAt: r.accepted_at }));
      const wasPaused = query(this.sql, "SELECT 1 AS x FROM flow_paused WHERE workflow = ?", workflow).length > 0;
      run(this.sql, "DELETE FROM flow_paused WHERE workflow = ?", workflow);
      run(this.sql, "DELETE FROM flow_paused_runs WHERE workflow = ?", workflow);
      if (wasPaused) this.record(workflow, "resume", at, by, reason);
    });
    return held;
  }

  /** The latest pauses and resumes of a workflow, newest first. */
  history(workflow: string, limit: number): PauseRecord[] {
    return query<{ action: string; at: number; by: string | null; reason: string | null }>(
      this.sql,
      "SELECT action, at, by, reason FROM flow_pause_log WHERE workflow = ? ORDER BY seq DESC LIMIT ?",
      workflow,
      limit,
    ).map((r) => ({
      action: r.action as PauseRecord["action"],
      at: r.at,
      ...(r.by ? { by: r.by } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    }));
  }

  private record(workflow: string, action: string, at: number, by?: string, reason?: string): void {
    run(
      this.sql,
      "INSERT INTO flow_pause_log (workflow, action, at, by, reason) VALUES (?, ?, ?, ?, ?)",
      workflow,
      action,
      at,
      by ?? null,
      reason ?? null,
    );
  }
}
