// The port the driver writes through: the Durable Object's SQLite log and MemoryEventLog
// both implement it, and one conformance suite runs the driver against both.
import type { NewRunEvent, RunEvent } from "./events.ts";

/** Where a large value went instead of the log row (an object in R2 for the Durable Object). */
export interface LargeValueRef {
  key: string;
  bytes: number;
}

export interface AppendOptions {
  /** The event's `output` was already stored elsewhere: keep only this reference in the row. */
  externalOutput?: LargeValueRef;
}

export interface EventLog {
  /** Every event of the run, in `seq` order, with large values in place. */
  readonly events: readonly RunEvent[];
  /** Appends synchronously and durably (within the caller's transaction), returning the stored event. */
  append(event: NewRunEvent, options?: AppendOptions): RunEvent;
  /** Values at least this large (bytes of JSON) go through `externalize` before they are appended. */
  readonly largeValueBytes?: number;
  /** Stores a large value outside the log and returns its reference. */
  externalize?(json: string, bytes: number): Promise<LargeValueRef>;
}

/**
 * An in-memory event log for tests and the `cairn-workflows/testing` harness.
 * @example
 * const log = new MemoryEventLog();
 * log.seedStepCompleted("research-signup#0", { score: 3 });
 */
export class MemoryEventLog implements EventLog {
  readonly events: RunEvent[] = [];
  private readonly clock: () => number;

  constructor(options: { events?: RunEvent[]; clock?: () => number } = {}) {
    this.clock = options.clock ?? Date.now;
    for (const event of options.events ?? []) this.events.push(event);
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
