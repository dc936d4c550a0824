// Is a cron or poll source due in a given minute? Evaluated by croner, in the source's time zone.
import { Cron } from "croner";

/** True when `schedule` fires in the minute starting at `minuteStart` (epoch ms, UTC). */
export function isDue(schedule: string, timezone: string | undefined, minuteStart: number): boolean {
  const cron = new Cron(schedule, { timezone: timezone ?? "UTC", paused: true });
  const next = cron.nextRun(new Date(minuteStart - 1));
  return next !== null && next.getTime() === minuteStart;
}

/** The start of the minute holding `at`. */
export function minuteOf(at: number): number {
  return Math.floor(at / 60_000) * 60_000;
}
