// `client.triggers`: list, fire, enable and disable triggers, and read their failed deliveries.
import { type Request, segment } from "./transport.ts";

/** A trigger source and what it is attached to, as `GET /triggers` describes it. */
export interface TriggerInfo {
  slug: string;
  kind: "webhook" | "cron" | "poll";
  /** A webhook's path, `/triggers/<endpoint>`. */
  endpoint?: string;
  /** A cron or poll source's cron expression, and its time zone. */
  schedule?: string;
  timezone?: string;
  attachments: { id: string; workflow?: string; agent?: string }[];
  enabled: boolean;
  lastFiredAt?: string;
  lastResult?: string;
}

/** A delivery that started no run, and why (the newest first). */
export interface TriggerFailure {
  at: string;
  reason: string;
  /** The validation issues or the error, when there were some. */
  detail?: unknown;
}

/** What firing a trigger answers: the runs it started (a poll may skip when nothing is new). */
export interface TriggerFired {
  runIds?: string[];
  fannedOut?: number;
  skipped?: boolean;
}

export function triggersApi(request: Request) {
  const path = (slug: string, action: string) => `/triggers/${segment(slug)}/${action}`;
  return {
    /**
     * Every trigger, with its state and last fire.
     * @example const { triggers } = await cairn.triggers.list();
     */
    list: () => request<{ triggers: TriggerInfo[] }>("/triggers"),
    /**
     * Fires a trigger now (a webhook source takes `input` as its payload; a poll source polls).
     * @example await cairn.triggers.invoke("daily-digest");
     */
    invoke: (slug: string, input?: unknown) =>
      request<TriggerFired>(path(slug, "invoke"), { method: "POST", json: input ?? {} }),
    /** @example await cairn.triggers.enable("daily-digest"); */
    enable: (slug: string) => request<TriggerInfo>(path(slug, "enable"), { method: "POST" }),
    /** @example await cairn.triggers.disable("daily-digest"); */
    disable: (slug: string) => request<TriggerInfo>(path(slug, "disable"), { method: "POST" }),
    /**
     * The trigger's latest deliveries that started no run (a payload no workflow input accepts, a
     * poll that threw), newest first.
     * @example const { failures } = await cairn.triggers.failures("github-issues");
     */
    failures: (slug: string) => request<{ failures: TriggerFailure[] }>(path(slug, "failures")),
  };
}

/** `client.triggers`. */
export type TriggersApi = ReturnType<typeof triggersApi>;
