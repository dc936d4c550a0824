// Durations as authors write them ("30s", "2 days", 1500, a Date) turned into milliseconds.
import ms from "ms";
import { UsageError } from "./errors.ts";

/** What `ctx.sleep`, hook timeouts and retry delays accept. */
export type Duration = string | number;

/**
 * Parses a duration into milliseconds with the `ms` library.
 * @example parseDuration("2 days") // 172800000
 */
export function parseDuration(duration: Duration): number {
  const delayMs = typeof duration === "number" ? duration : ms(duration as ms.StringValue);
  if (typeof delayMs !== "number" || !Number.isFinite(delayMs) || delayMs < 0) {
    throw new UsageError(
      `invalid duration ${JSON.stringify(duration)}: use milliseconds or a string like "30s", "15m", "1h", "2 days"`,
    );
  }
  return delayMs;
}

/** Resolves a sleep target (duration from `nowMs`, or an absolute Date) to an epoch time. */
export function wakeTimeFor(target: Duration | Date, nowMs: number): number {
  if (target instanceof Date) {
    const at = target.getTime();
    if (Number.isNaN(at)) throw new UsageError("invalid Date passed to sleep");
    return at;
  }
  return nowMs + parseDuration(target);
}
