// Local cron (`cairn dev`, `npm start`): which minutes a cron expression fires in, the URL that
// runs the scheduled handler, and the timer that fires on every minute boundary.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cronFiresAt, localCronEnabled, nextMinute, scheduledUrl, startLocalCron } from "../../cli/dev/local-cron.ts";

const at = (iso: string) => Date.parse(iso);

afterEach(() => {
  vi.useRealTimers();
});

describe("local cron", () => {
  it("knows which minutes an expression fires in, in UTC", () => {
    expect(cronFiresAt("* * * * *", at("2026-12-02T07:31:00Z"))).toBe(true);
    expect(cronFiresAt("*/5 * * * *", at("2026-12-02T07:35:00Z"))).toBe(true);
    expect(cronFiresAt("*/5 * * * *", at("2026-12-02T07:36:00Z"))).toBe(false);
    expect(cronFiresAt("0 3 * * *", at("2026-12-02T03:00:00Z"))).toBe(true);
  });

  it("aims at the start of the next minute", () => {
    expect(nextMinute(at("2026-12-02T07:31:00Z"))).toBe(at("2026-12-02T07:32:00Z"));
    expect(nextMinute(at("2026-12-02T07:31:59.999Z"))).toBe(at("2026-12-02T07:32:00Z"));
  });

  it("asks wrangler dev's scheduled handler route with the cron and the minute as scheduledTime", () => {
    const url = new URL(scheduledUrl("http://127.0.0.1:8787/", "*/5 * * * *", at("2026-12-02T07:35:00Z")));
    expect(url.pathname).toBe("/cdn-cgi/handler/scheduled");
    expect(url.searchParams.get("cron")).toBe("*/5 * * * *");
    expect(url.searchParams.get("time")).toBe(String(at("2026-12-02T07:35:00Z")));
  });

  it("is turned off by CAIRN_DEV_CRON=off (or 0, false, no) and on otherwise", () => {
    for (const value of ["off", "0", "false", "NO"]) expect(localCronEnabled({ CAIRN_DEV_CRON: value })).toBe(false);
    for (const value of [undefined, "", "on", "1"]) expect(localCronEnabled({ CAIRN_DEV_CRON: value })).toBe(true);
  });

  it("fires the due expressions on each minute boundary, once each, and stops when told", async () => {
    vi.useFakeTimers({ now: at("2026-12-02T07:33:20Z") });
    const calls: string[] = [];
    const lines: string[] = [];
    const cron = startLocalCron({
      url: "http://127.0.0.1:8787",
      crons: ["* * * * *", "*/5 * * * *"],
      log: (line) => lines.push(line),
      fetch: async (input) => {
        calls.push(String(input));
        return new Response("ok");
      },
    });
    await vi.advanceTimersByTimeAsync(39_999);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // 07:34: only the every-minute expression is due.
    expect(calls.map((c) => new URL(c).searchParams.get("cron"))).toEqual(["* * * * *"]);
    expect(new URL(calls[0]!).searchParams.get("time")).toBe(String(at("2026-12-02T07:34:00Z")));
    await vi.advanceTimersByTimeAsync(60_000);
    // 07:35: both.
    expect(calls.slice(1).map((c) => new URL(c).searchParams.get("cron"))).toEqual(["* * * * *", "*/5 * * * *"]);
    expect(lines).toContain('[cairn] cron "*/5 * * * *" fired for 07:35 UTC');
    cron.stop();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(calls).toHaveLength(3);
  });

  it("says so when a fire fails, and keeps firing the next minutes", async () => {
    vi.useFakeTimers({ now: at("2026-12-02T07:33:59Z") });
    const lines: string[] = [];
    let answers = 0;
    const cron = startLocalCron({
      url: "http://127.0.0.1:8787",
      crons: ["* * * * *"],
      log: (line) => lines.push(line),
      fetch: async () => (answers++ === 0 ? new Response("exception", { status: 500 }) : new Response("ok")),
    });
    await vi.advanceTimersByTimeAsync(61_000);
    cron.stop();
    expect(lines).toEqual([
      '[cairn] cron "* * * * *" for 07:34 UTC: HTTP 500 exception',
      '[cairn] cron "* * * * *" fired for 07:35 UTC',
    ]);
  });
});
