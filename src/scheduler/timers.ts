// The run's timers: every wake-up (start, sleep, retry backoff, hook timeout, index retry) is a
// row here, and one alarm is always set to the earliest of them.
import { query, run } from "../log/sql.ts";

export type TimerKind = "drive" | "sleep" | "retry" | "hook_timeout" | "yield" | "index" | "retention";
export interface Timer {
  key: string;
  kind: TimerKind;
  dueAt: number;
}

export class Timers {
  constructor(private readonly storage: DurableObjectStorage) {}

  /** Sets (or moves) a timer; the earliest due time wins when the key already exists. */
  set(key: string, kind: TimerKind, dueAt: number): void {
    run(
      this.storage.sql,
      "INSERT INTO timers (key, kind, due_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET due_at = MIN(due_at, excluded.due_at)",
      key,
      kind,
      dueAt,
    );
  }

  /** Timers due at `now`, earliest first. */
  due(now: number): Timer[] {
    return query<{ key: string; kind: string; due_at: number }>(
      this.storage.sql,
      "SELECT key, kind, due_at FROM timers WHERE due_at <= ? ORDER BY due_at",
      now,
    ).map((row) => ({ key: row.key, kind: row.kind as TimerKind, dueAt: row.due_at }));
  }

  /** The earliest due time, optionally ignoring some kinds of timer. */
  earliest(exceptKinds: TimerKind[] = []): number | undefined {
    const filter = exceptKinds.length ? `WHERE kind NOT IN (${exceptKinds.map(() => "?").join(", ")})` : "";
    const row = query<{ due: number | null }>(
      this.storage.sql,
      `SELECT MIN(due_at) AS due FROM timers ${filter}`,
      ...exceptKinds,
    )[0];
    return row?.due ?? undefined;
  }

  /** The kinds of timer set now (for deciding whether a cut-off pass left one behind). */
  kinds(): TimerKind[] {
    return query<{ kind: string }>(this.storage.sql, "SELECT DISTINCT kind FROM timers").map(
      (row) => row.kind as TimerKind,
    );
  }

  delete(keys: string[]): void {
    for (const key of keys) run(this.storage.sql, "DELETE FROM timers WHERE key = ?", key);
  }

  /** Points the Durable Object's single alarm at the earliest timer, or clears it. */
  async rearm(): Promise<void> {
    const earliest = this.earliest();
    if (earliest === undefined) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(earliest);
  }
}
