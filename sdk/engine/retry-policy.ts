// Retry policies as authors write them, resolved to numbers, and the backoff between attempts.
import { parseDuration, type Duration } from "../duration.ts";
import type { RetryPolicy } from "./events.ts";

/** What `retries` accepts on an action or a workflow: an attempt count or a full policy. */
export type RetryOptions =
  | number
  | {
      /** Attempts in all, counting the first (default 3). */
      maxAttempts?: number;
      /** Delay before the second attempt (default "1s"). */
      initialDelay?: Duration;
      /** Multiplier per further attempt (default 2). */
      backoffFactor?: number;
      /** Longest delay between attempts (default "5m"). */
      maxDelay?: Duration;
    };

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 1_000,
  backoffFactor: 2,
  maxDelayMs: 5 * 60_000,
};

/** Layers the action's options over the workflow's over the defaults. */
export function resolveRetryPolicy(...layers: (RetryOptions | undefined)[]): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY };
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (typeof layer === "number") {
      policy.maxAttempts = Math.max(1, Math.floor(layer));
      continue;
    }
    if (layer.maxAttempts !== undefined) policy.maxAttempts = Math.max(1, layer.maxAttempts);
    if (layer.initialDelay !== undefined) policy.initialDelayMs = parseDuration(layer.initialDelay);
    if (layer.backoffFactor !== undefined) policy.backoffFactor = Math.max(1, layer.backoffFactor);
    if (layer.maxDelay !== undefined) policy.maxDelayMs = parseDuration(layer.maxDelay);
  }
  return policy;
}

/**
 * Delay after failed attempt `attempt` (1-based): exponential from the initial delay, capped.
 * @example backoffDelayMs(DEFAULT_RETRY_POLICY, 2) // 2000
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  const delayMs = policy.initialDelayMs * policy.backoffFactor ** (attempt - 1);
  return Math.min(delayMs, policy.maxDelayMs);
}
