// The port the driver writes through: the Durable Object's SQLite log and MemoryEventLog
// both implement it, and one conformance suite runs the driver against both.
import type { NewRunEvent, RunEvent } from "./events.ts";

export interface EventLog {
  /** Every event of the run, in `seq` order. */
  readonly events: readonly RunEvent[];
  /** Appends synchronously and durably (within the caller's transaction), returning the stored event. */
  append(event: NewRunEvent): RunEvent;
}

/**
 * An in-memory event log for tests and the `cairn/testing` harness.
 * @example
 * const log = new MemoryEventLog();
 * log.seedStepCompleted("research-signup#0", { score: 3 });
 */
export class MemoryEventLog implements EventLog {
  readonly events: RunEvent[] = [];
  private readonly clock: () => number;

  constructor(options: { events?: RunEvent[]; clock?: () => number } = {}) {
    this.clock = options.clock ?? Date.now;
    if (options.events) this.events.push(...options.events);
  }

  append(event: NewRunEvent): RunEvent {
    const stored = { ...event, seq: this.events.length + 1, at: this.clock() } as RunEvent;
    this.events.push(stored);
    return stored;
  }

  /** Records a step as already completed, so a run reuses `output` instead of executing it. */
  seedStepCompleted(stepId: string, output: unknown): void {
    this.append({ type: "step_completed", stepId, output });
  }
}
