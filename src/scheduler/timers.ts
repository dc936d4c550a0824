// The run's timers: every wake-up (sleep, retry backoff, hook timeout, recheck, index retry) is a
// row here, and one alarm is always set to the earliest of them. A timer that follows from the run
// row alone (a new run's first drive, a finished run's deletion) is derived, not stored: each
// stored row is billed.
import type { RunSchema } from "../log/migrations.ts";
import { query, run } from "../log/sql.ts";

export type TimerKind = "drive" | "sleep" | "retry" | "hook_timeout" | "yield" | "index" | "retention" | "offload";
export interface Timer {
  key: string;
  kind: TimerKind;
  dueAt: number;
}

export class Timers {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly schema: RunSchema,
    /** Timers that follow from the run row (its first drive, its deletion), never stored. */
    private readonly derived: () => Timer[] = () => [],
  ) {}

  /** Sets (or moves) a timer; the earliest due time wins when the key already exists. */
  set(key: string, kind: TimerKind, dueAt: number): void {
    this.schema.ensure("timers");
    run(
      this.storage.sql,
      "INSERT INTO timers (key, kind, due_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET due_at = MIN(due_at, excluded.due_at)",
      key,
      kind,
      dueAt,
    );
  }

  /** Every timer, stored and derived, earliest first. */
  private all(): Timer[] {
    const stored = this.schema.has("timers")
      ? query<{ key: string; kind: string; due_at: number }>(
          this.storage.sql,
          "SELECT key, kind, due_at FROM timers ORDER BY due_at",
        ).map((row) => ({ key: row.key, kind: row.kind as TimerKind, dueAt: row.due_at }))
      : [];
    const derived = this.derived().filter((timer) => !stored.some((s) => s.key === timer.key));
    return [...stored, ...derived].sort((a, b) => a.dueAt - b.dueAt);
  }

  /** Timers due at `now`, earliest first. */
  due(now: number): Timer[] {
    return this.all().filter((timer) => timer.dueAt <= now);
  }

  /** The earliest due time, optionally ignoring some kinds of timer. */
  earliest(exceptKinds: TimerKind[] = []): number | undefined {
    return this.all().find((timer) => !exceptKinds.includes(timer.kind))?.dueAt;
  }

  /** The kinds of timer set now (for deciding whether a cut-off pass left one behind). */
  kinds(): TimerKind[] {
    return [...new Set(this.all().map((timer) => timer.kind))];
  }

  /** Deletes stored timers; a derived one goes when what it follows from changes. */
  delete(keys: string[]): void {
    if (!this.schema.has("timers")) return;
    for (const key of keys) run(this.storage.sql, "DELETE FROM timers WHERE key = ?", key);
  }

  /**
   * Points the Durable Object's single alarm at the earliest timer, or clears it. An alarm already
   * where it belongs is left alone: each `setAlarm` is billed as a row written.
   */
  async rearm(): Promise<void> {
    const earliest = this.earliest() ?? null;
    if ((await this.storage.getAlarm()) === earliest) return;
    if (earliest === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(earliest);
  }
}
