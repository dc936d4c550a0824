// What a pass takes and gives back: the options of `drive`, its outcome, and the waits a
// suspended run leaves for its store to turn into timers.
import type { OffloadPort } from "./offload.ts";
import type { HookOptions } from "./scope.ts";
import type { RunLimits } from "./limits.ts";
import type { Divergence, SerializedError } from "./events.ts";

/** Why a suspended run sleeps: each becomes a timer (or an open hook) in the run's store. */
export type Wait =
  | { kind: "sleep"; stepId: string; wakeAt: number }
  | { kind: "retry"; stepId: string; wakeAt: number }
  | { kind: "hook"; stepId: string; token: string; timeoutAt?: number }
  | { kind: "yield"; wakeAt: number }
  /** An offloaded attempt is out (decision 0023); at `wakeAt` with no report it is dispatched again. */
  | { kind: "offload"; stepId: string; wakeAt: number };

/** How a pass ended. */
export type DriveOutcome =
  | { status: "completed"; output: unknown }
  | { status: "failed"; error: SerializedError }
  | { status: "suspended"; waits: Wait[] }
  /**
   * The code no longer makes a call the log recorded: the run is parked with the reason (decision
   * 0018). `waits` are those the pass had reached (a probe reports none).
   */
  | { status: "blocked"; reason: Divergence; waits: Wait[] }
  | { status: "canceled" };

/** How one pass runs (see `drive`). */
export interface DriveOptions {
  runId: string;
  /** Logical now: an alarm fired for a timer due at T drives with `now >= T`. */
  now?: number;
  /** Builds the resume URL for a new hook token. */
  resumeUrl?: (token: string) => string;
  /** Mints a hook token (the Durable Object embeds its own id for routing). */
  newToken?: () => string;
  /** Live steps one pass may execute before it yields and continues in a fresh pass. */
  stepBudget?: number;
  /** Aborts in-flight steps and ends the pass (run canceled). */
  signal?: AbortSignal;
  /** Filled with each hook's payload schema, keyed by token, as the code creates its hooks. */
  hookSchemas?: Map<string, HookOptions<unknown>["schema"]>;
  /** Replays recorded steps only: nothing executes and nothing is appended. */
  probe?: boolean;
  /** Overrides of the engine's limits (steps per run, nesting depth, output size). */
  limits?: Partial<RunLimits>;
  /**
   * Every call-site id of the deployed code (the registry's `callSites()`): a recorded step whose
   * site is not among them was edited or removed, and a new call of the same name and input is
   * taken for it (decision 0016). Without it, no call is.
   */
  callSites?: ReadonlySet<string>;
  /** Where steps marked `offload` run instead of the pass (decision 0023); without it they run in the pass. */
  offload?: OffloadPort;
  /** Test doubles by step name (action/agent slug, or "llm"): they run instead of the step. */
  stubs?: Record<string, (input: unknown) => unknown>;
}
