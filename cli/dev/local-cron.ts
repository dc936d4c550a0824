// Local cron for `cairn dev` and `npm start`: wrangler dev never fires a Worker's cron triggers by
// itself, so every minute, on the minute, this asks the local server to run the scheduled handler
// for each `[triggers] crons` expression due then — cron and poll sources, retention and the
// stall sweep then behave as they do deployed.
import { Cron } from "croner";

/** Where wrangler dev (4.x, miniflare's trigger handlers, no flag needed) runs a scheduled event. */
export const SCHEDULED_PATH = "/cdn-cgi/handler/scheduled";

/** The environment variable that turns local cron off (`off`, `0`, `false` or `no`). */
export const LOCAL_CRON_ENV = "CAIRN_DEV_CRON";

const MINUTE_MS = 60_000;

/** False when `CAIRN_DEV_CRON` says off. */
export function localCronEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const value = env[LOCAL_CRON_ENV]?.trim().toLowerCase();
  return !(value === "off" || value === "0" || value === "false" || value === "no");
}

/** True when `expression` (UTC, as Cloudflare evaluates cron triggers) fires in the minute starting at `minute`. */
export function cronFiresAt(expression: string, minute: number): boolean {
  const next = new Cron(expression, { timezone: "UTC", paused: true }).nextRun(new Date(minute - 1));
  return next?.getTime() === minute;
}

/** The start of the minute after `now` (epoch ms). */
export function nextMinute(now: number): number {
  return Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
}

/** The URL that runs the scheduled handler for `cron` with `scheduledTime` = `minute`. */
export function scheduledUrl(base: string, cron: string, minute: number): string {
  const query = new URLSearchParams({ cron, time: String(minute) });
  return `${base.replace(/\/$/, "")}${SCHEDULED_PATH}?${query}`;
}

export interface LocalCronOptions {
  /** The local server, e.g. http://127.0.0.1:8787. */
  url: string;
  /** The wrangler config's `[triggers] crons`. */
  crons: readonly string[];
  /** One line per fire (and per failed fire). */
  log: (line: string) => void;
  fetch?: typeof fetch;
}

export interface LocalCron {
  /** Fires the crons due in `minute` now (the timer calls it on every minute). */
  fire(minute: number): Promise<void>;
  stop(): void;
}

/** Starts firing the crons on every minute boundary until `stop()`. */
export function startLocalCron(options: LocalCronOptions): LocalCron {
  const doFetch = options.fetch ?? fetch;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function fire(minute: number): Promise<void> {
    const due = options.crons.filter((cron) => cronFiresAt(cron, minute));
    const at = new Date(minute).toISOString().slice(11, 16);
    for (const cron of due) {
      try {
        const response = await doFetch(scheduledUrl(options.url, cron, minute));
        const outcome = (await response.text()).trim();
        if (response.ok) options.log(`[cairn] cron "${cron}" fired for ${at} UTC`);
        else options.log(`[cairn] cron "${cron}" for ${at} UTC: HTTP ${response.status} ${outcome}`);
      } catch (error) {
        options.log(`[cairn] cron "${cron}" for ${at} UTC: ${(error as Error).message}`);
      }
    }
  }

  // A fresh timeout per minute, computed from the clock, so a slow fire or a suspended laptop
  // never makes the ticks drift off the minute.
  let last = 0;
  const arm = () => {
    if (stopped) return;
    // Never the same minute twice, even if a timer fires a millisecond early.
    const minute = Math.max(nextMinute(Date.now()), last + MINUTE_MS);
    last = minute;
    timer = setTimeout(
      () => {
        void fire(minute).finally(arm);
      },
      Math.max(0, minute - Date.now()),
    );
  };
  arm();
  return {
    fire,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
