// The run's event log in its Durable Object's SQLite, with the run/hook projections written
// in the same transaction as the event that changes them, so a crash can never split them.
import type { EventLog } from "../../sdk/engine/event-log.ts";
import type { NewRunEvent, RunEvent } from "../../sdk/engine/events.ts";
import { query, run } from "./sql.ts";

type EventRow = { seq: number; at: number; data: string };

const TERMINAL_STATUS: Partial<Record<RunEvent["type"], string>> = {
  run_completed: "success",
  run_failed: "failed",
  run_canceled: "canceled",
};

export class SqlEventLog implements EventLog {
  readonly events: RunEvent[];

  constructor(private readonly storage: DurableObjectStorage) {
    this.events = query<EventRow>(storage.sql, "SELECT seq, at, data FROM events ORDER BY seq").map(
      (row) => ({ ...JSON.parse(row.data), seq: row.seq, at: row.at }) as RunEvent,
    );
  }

  append(event: NewRunEvent): RunEvent {
    const stored = { ...event, seq: this.events.length + 1, at: Date.now() } as RunEvent;
    const stepId = "stepId" in stored ? stored.stepId : null;
    const attempt = "attempt" in stored ? stored.attempt : null;
    const sql = this.storage.sql;
    const write = () => {
      run(
        sql,
        "INSERT INTO events (seq, type, step_id, attempt, at, data) VALUES (?, ?, ?, ?, ?, ?)",
        stored.seq,
        stored.type,
        stepId,
        attempt,
        stored.at,
        JSON.stringify(event),
      );
      this.project(stored);
    };
    if (needsProjection(stored)) this.storage.transactionSync(write);
    else write();
    this.events.push(stored);
    return stored;
  }

  private project(event: RunEvent): void {
    const sql = this.storage.sql;
    const status = TERMINAL_STATUS[event.type];
    if (status) {
      run(
        sql,
        "UPDATE run SET status = ?, updated_at = ?, finished_at = ?, wake_at = NULL, index_version = index_version + 1",
        status,
        event.at,
        event.at,
      );
      run(sql, "DELETE FROM timers WHERE kind != 'index'");
      run(sql, "UPDATE hooks SET status = 'closed' WHERE status = 'open'");
      return;
    }
    if (event.type === "hook_created") {
      run(
        sql,
        "INSERT OR REPLACE INTO hooks (step_id, token, status, created_at, timeout_at) VALUES (?, ?, 'open', ?, ?)",
        event.stepId,
        event.token,
        event.at,
        event.timeoutAt ?? null,
      );
    } else if (event.type === "hook_resumed") {
      run(sql, "UPDATE hooks SET status = 'resumed' WHERE step_id = ?", event.stepId);
    } else if (event.type === "hook_timed_out") {
      run(sql, "UPDATE hooks SET status = 'timed_out' WHERE step_id = ?", event.stepId);
    }
  }
}

function needsProjection(event: RunEvent): boolean {
  return event.type in TERMINAL_STATUS || event.type.startsWith("hook_");
}
