// What the queue consumer runs for an offloaded step (decision 0023): the actions marked
// `offload: true`, by slug, filled as action modules load; and model calls, rebuilt from the
// request the message carries. Internal, not a package subpath.
import { getModelClient, type ModelRequest, type ModelResponse, type Usage } from "./model-port.ts";
import type { OffloadedAttempt } from "./offload.ts";
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

/**
 * One model call (a `promptLlm` call or an agent's turn): the message holds the whole request,
 * output schema as JSON Schema included, so no workflow code is needed to rebuild it. Checking the
 * answer against the zod schema stays in the pass, which replays the recorded answer.
 */
const modelCall: OffloadedHandler = (request, signal) => getModelClient().complete(request as ModelRequest, { signal });

/** What runs an offloaded attempt: a model call, or the action it names (if this Worker defines it). */
export function offloadedHandler(step: Pick<OffloadedAttempt, "stepKind" | "name">): OffloadedHandler | undefined {
  return step.stepKind === "llm" ? modelCall : offloadedAction(step.name);
}

/** The token usage to record with an offloaded attempt's output (a model call's only). */
export function offloadedUsage(step: Pick<OffloadedAttempt, "stepKind">, output: unknown): Usage | undefined {
  return step.stepKind === "llm" ? (output as ModelResponse).usage : undefined;
}
