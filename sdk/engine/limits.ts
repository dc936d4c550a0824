// The engine's own limits, with the defaults the docs promise; hosts may lower or raise them.

export interface RunLimits {
  /** Distinct steps one run may record (actions, sub-workflows, LLM calls, sleeps, hooks). */
  maxSteps: number;
  /** How deep sub-workflows (and agents) may nest. */
  maxDepth: number;
  /** Largest step output, in bytes of JSON. */
  maxOutputBytes: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  maxSteps: 100_000,
  maxDepth: 16,
  maxOutputBytes: 32 * 1024 * 1024,
};

/**
 * Largest step input (bytes of JSON) recorded in `step_started` beside its hash, so a divergence
 * can show what changed; a larger input is recorded by its hash only.
 */
export const STEP_INPUT_RECORD_BYTES = 4 * 1024;
