// The ambient step scope: `action.run()`, `promptLlm()`, `agent.prompt()` and `workflow.run()`
// find the run they belong to through AsyncLocalStorage (nodejs_compat in the Worker).
import { AsyncLocalStorage } from "node:async_hooks";
import type { Duration } from "../duration.ts";
import type { LogLevel, StepKind, TriggerInfo } from "./events.ts";
import type { StepLogBuffer } from "./step-logs.ts";
import type { RetryOptions } from "./retry-policy.ts";

/** One durable step as the public API describes it to the driver. */
export interface StepCall<T> {
  kind: Exclude<StepKind, "workflow" | "patch">;
  /** Slug of the action/agent, or "llm"; the step id is `<name>#<n>`. */
  name: string;
  input: unknown;
  retries?: RetryOptions;
  timeoutMs?: number;
  /** Run each attempt outside the run's object, where the host can (an action's `offload: true`, decision 0023). */
  offload?: boolean;
  /** What an offloaded attempt carries instead of `input` (a model turn's whole request; its recorded input stays small). */
  offloadInput?: unknown;
  /** Performs one attempt (`attempt` is 1-based). */
  execute(signal: AbortSignal, attempt: number): Promise<T>;
  /** Re-validates a recorded output on replay (the action's output schema). */
  parseOutput?(recorded: unknown): T;
  /** Token usage of an LLM call, recorded on `step_completed`. */
  usageOf?(output: T): { inputTokens: number; outputTokens: number } | undefined;
}

/** A sub-workflow call: runs inline with its own prefixed scope. */
export interface ChildCall<T> {
  /** "workflow" for a sub-workflow; "agent" for an agent loop whose turns and tool calls are steps. */
  kind?: "workflow" | "agent";
  /** Why `ctx.sleep`/`ctx.hook` must fail inside this child (a workflow used as an agent's tool). */
  forbidWaits?: string;
  name: string;
  input: unknown;
  parseOutput?(recorded: unknown): T;
  run(scope: StepScope): Promise<T>;
}

export interface HookOptions<T> {
  /** Validates (and types) the resume payload; a failing payload gets 400 and the hook stays open. */
  schema?: { parse(value: unknown): T; safeParse?: unknown };
  /** After this long, awaiting the hook throws `HookTimeoutError`. */
  timeout?: Duration;
  /**
   * `true`: a plain `GET <resumeUrl>?…` resumes the hook in one request, for machine callers that
   * cannot POST. Off by default, because link scanners and chat unfurlers open links too: a GET
   * then answers a confirmation page (or JSON saying what to POST), and only the POST resumes.
   * HEAD and prefetch requests never resume either way.
   */
  resumeOnGet?: boolean;
}

/** Returned at once by `ctx.hook()`: send `resumeUrl` anywhere, then `await` the handle. */
export interface HookHandle<T> extends PromiseLike<T> {
  /** The step id, e.g. `hook#0`. */
  readonly id: string;
  readonly token: string;
  readonly resumeUrl: string;
}

/** Facts about the run that `ctx` exposes; the same for a sub-workflow as for its parent. */
export interface RunInfo {
  runId: string;
  workflow: string;
  trigger: TriggerInfo["type"];
  source?: string;
  triggeredAt: number;
  subscription?: { id: string; subscriber: string };
}

/** What the driver offers to code running inside a run. */
export interface StepScope {
  readonly runId: string;
  /** The child step this scope runs inside (`<name>#<n>`); undefined for the workflow's own body. */
  readonly stepId?: string;
  readonly info: RunInfo;
  step<T>(call: StepCall<T>): Promise<T>;
  child<T>(call: ChildCall<T>): Promise<T>;
  sleep(target: Duration | Date): Promise<void>;
  hook<T>(options?: HookOptions<T>): HookHandle<T>;
  /** `ctx.patched(id)`: whether this run takes the new code path at this patch (patch-step.ts). */
  patched(patchId: string): boolean;
  /**
   * Records a workflow body's `ctx.log` line once under `logId` (this scope's `log#<n>`); false
   * when it was already recorded (a replay) or cannot be (a probe).
   */
  log?(logId: string, level: LogLevel, message: string): boolean;
}

export type AmbientScope =
  | { type: "run"; scope: StepScope /** Set while an agent runs its tools. */; toolOf?: string }
  // `logs`: the attempt's log lines (step-logs.ts), when the action runs as a step.
  | { type: "action"; slug: string; logs?: StepLogBuffer }
  | { type: "inline"; reason: string };

export const ambientScope = new AsyncLocalStorage<AmbientScope>();

/** The current ambient scope, if any. */
export function currentScope(): AmbientScope | undefined {
  return ambientScope.getStore();
}
