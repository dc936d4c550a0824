// The actions marked `offload: true`, by slug: where the queue consumer finds the handler of an
// offloaded step (decision 0023). Filled as action modules load; internal, not a package subpath.
import type { RunInfo } from "./scope.ts";

/** Validates the input, resolves credentials, runs one attempt and validates the output. */
export type OffloadedHandler = (input: unknown, signal: AbortSignal, attempt: number, run: RunInfo) => Promise<unknown>;

const handlers = new Map<string, OffloadedHandler>();

/** Called by defineAction. Slugs are step names, so one slug names one handler: the last defined. */
export function registerOffloadedAction(slug: string, handler: OffloadedHandler): void {
  handlers.set(slug, handler);
}

/** The handler of the offloaded action `slug`, if this isolate's code defines one. */
export function offloadedAction(slug: string): OffloadedHandler | undefined {
  return handlers.get(slug);
}
