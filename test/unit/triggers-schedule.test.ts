import { describe, expect, it } from "vitest";
import { isDue, minuteOf } from "../../src/triggers-engine/schedule.ts";

const at = (iso: string) => Date.parse(iso);

describe("isDue", () => {
  it("is due in exactly the minute a UTC schedule names", () => {
    expect(isDue("30 14 * * *", undefined, at("2026-06-01T14:30:00Z"))).toBe(true);
    expect(isDue("30 14 * * *", undefined, at("2026-06-01T14:31:00Z"))).toBe(false);
    expect(isDue("30 14 * * *", undefined, at("2026-06-01T14:29:00Z"))).toBe(false);
  });

  it("reads the schedule in the source's time zone, following daylight saving time", () => {
    // 09:00 in New York is 14:00 UTC in winter (EST) and 13:00 UTC in summer (EDT).
    expect(isDue("0 9 * * *", "America/New_York", at("2026-12-01T14:00:00Z"))).toBe(true);
    expect(isDue("0 9 * * *", "America/New_York", at("2026-12-01T09:00:00Z"))).toBe(false);
    expect(isDue("0 9 * * *", "America/New_York", at("2026-07-01T13:00:00Z"))).toBe(true);
    expect(isDue("0 9 * * *", "America/New_York", at("2026-07-01T14:00:00Z"))).toBe(false);
  });

  it("accepts nicknames and named weekdays", () => {
    expect(isDue("@daily", "Europe/Paris", at("2026-01-14T23:00:00Z"))).toBe(true);
    expect(isDue("@daily", "Europe/Paris", at("2026-01-15T00:00:00Z"))).toBe(false);
    expect(isDue("@hourly", undefined, at("2026-01-15T07:00:00Z"))).toBe(true);
    // 2026-01-12 is a Monday.
    expect(isDue("0 8 * * MON", undefined, at("2026-01-12T08:00:00Z"))).toBe(true);
    expect(isDue("0 8 * * MON", undefined, at("2026-01-13T08:00:00Z"))).toBe(false);
  });

  it("fires a step schedule on each of its minutes and none between", () => {
    const due = Array.from({ length: 15 }, (_, m) => m).filter((m) =>
      isDue("*/5 * * * *", undefined, at("2026-03-03T10:00:00Z") + m * 60_000),
    );
    expect(due).toEqual([0, 5, 10]);
  });
});

describe("minuteOf", () => {
  it("rounds an instant down to the start of its minute, so a late or repeated event names the same minute", () => {
    expect(minuteOf(at("2026-12-01T14:00:59.999Z"))).toBe(at("2026-12-01T14:00:00Z"));
    expect(minuteOf(at("2026-12-01T14:00:00Z"))).toBe(at("2026-12-01T14:00:00Z"));
  });
});
