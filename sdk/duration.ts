// Durations as authors write them ("30s", "2 days", 1500, a Date) turned into milliseconds.
import ms from "ms";
import { z } from "zod";
import { UsageError } from "./errors.ts";

/** The units the `ms` parser reads (it also reads them in any case; the type asks for lowercase). */
const DURATION_UNITS = [
  "ms",
  "msec",
  "msecs",
  "millisecond",
  "milliseconds",
  "s",
  "sec",
  "secs",
  "second",
  "seconds",
  "m",
  "min",
  "mins",
  "minute",
  "minutes",
  "h",
  "hr",
  "hrs",
  "hour",
  "hours",
  "d",
  "day",
  "days",
  "w",
  "week",
  "weeks",
  "y",
  "yr",
  "yrs",
  "year",
  "years",
] as const;

/** A unit a duration string may end with. */
export type DurationUnit = (typeof DURATION_UNITS)[number];

/**
 * What `ctx.sleep`, hook timeouts, action timeouts and retry delays accept: milliseconds, or a
 * number with a unit, with or without a space.
 * @example const wait: Duration = "2 days"; // also "30s", "1.5h", 1500
 */
export type Duration = number | `${number}${DurationUnit}` | `${number} ${DurationUnit}`;

/**
 * Parses a duration into milliseconds with the `ms` library. Strings from outside the type
 * system (JSON, casts) are checked here too.
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

/** A duration string: a number and a unit, with or without a space (`"30s"`, `"2 days"`). */
export type DurationString = Exclude<Duration, number>;

/**
 * The schema of a duration string in a workflow's input, so `ctx.sleep(input.delay)` is typed and
 * a malformed duration is refused when the run starts rather than when it reaches the sleep. Its
 * JSON Schema is one string with a pattern, so the dashboard's start form keeps a text field; for
 * milliseconds as well, use `z.union([z.number(), durationSchema])`.
 * @example input: z.object({ delay: durationSchema.default("2 days") })
 */
export const durationSchema: z.ZodType<DurationString> = z
  .templateLiteral([z.number(), z.enum(["", " "]), z.enum(DURATION_UNITS)])
  .refine((duration) => {
    try {
      parseDuration(duration);
      return true;
    } catch {
      return false;
    }
  }, 'a duration: a number and a unit such as "30s", "15m", "2 days"');
