// `cairn/trigger`: sources that start runs (webhooks, cron schedules, polls) and their
// attachments to workflows or agents. A file in `src/triggers/` default-exports `source.attach(...)`.
import { Cron } from "croner";
import type { z } from "zod";
import type { AgentDefinition } from "./agent.ts";
import { UsageError } from "./errors.ts";
import { assertSlug } from "./workflow.ts";
import type { WorkflowDefinition } from "./workflow-types.ts";

export type Attachment =
  | {
      workflow: WorkflowDefinition;
      /** Maps the source's payload to the workflow's input; without it the payload is the input. */
      transform?: (payload: never) => unknown;
    }
  | { agent: AgentDefinition; prompt: string | ((payload: never) => string) };

export interface WebhookAuth {
  /**
   * A shared token the caller sends as `?token=` or the `x-cairn-token` header: the token itself,
   * or `{ secret }`, the name of the Worker secret holding it (keeps it out of the source).
   */
  token?: string | { secret: string };
  /** HMAC signature of the raw body (as GitHub, Stripe, Slack sign their deliveries). */
  hmac?: {
    /** Name of the Worker secret holding the signing key. */
    secret: string;
    /** Header carrying the signature, e.g. `x-hub-signature-256`. */
    header: string;
    algorithm?: "sha256" | "sha1";
    /** Text before the hex digest, e.g. `sha256=`. */
    prefix?: string;
    /** Header with a Unix timestamp that is signed as `<timestamp>.<body>`; stale ones are refused. */
    timestampHeader?: string;
    /** Largest accepted age of that timestamp (default 300 s). */
    toleranceSeconds?: number;
  };
}

export interface WebhookSourceOptions<P extends z.ZodType> {
  slug: string;
  /** Route suffix: the source listens on `POST /triggers/<endpoint>`; several sources may share one. */
  endpoint: string;
  /** Schema the body must match for the source to fire (alias: `payload`). */
  request?: P;
  payload?: P;
  /** Further narrowing, e.g. `z.object({ type: z.literal("invoice.paid") })`. */
  filter?: z.ZodType;
  auth?: WebhookAuth;
  /** Header with the provider's delivery id: a repeated id starts no second run. */
  deliveryIdHeader?: string;
}

export interface CronSourceOptions {
  slug: string;
  /** Five-field cron (names and nicknames like `@daily` allowed). */
  schedule: string;
  /** IANA time zone the schedule is read in (default UTC). */
  timezone?: string;
  /** Static payload for every tick (default `{}`). */
  payload?: unknown;
}

export interface PollSourceOptions<S extends z.ZodType | undefined, P> {
  slug: string;
  schedule: string;
  timezone?: string;
  /** Fetches what is new; with `state`, a cursor kept between ticks. */
  run: (context: {
    state: S extends z.ZodType ? z.output<S> | undefined : undefined;
    setState: (next: S extends z.ZodType ? z.output<S> : never) => void;
  }) => Promise<P>;
  /** `false` skips the tick: no run, and the cursor still moves on. */
  filter?: (payload: P) => boolean;
  state?: S;
}

export type SourceDefinition =
  | ({ kind: "webhook" } & WebhookSourceOptions<z.ZodType>)
  | ({ kind: "cron" } & CronSourceOptions)
  | ({ kind: "poll" } & PollSourceOptions<z.ZodType | undefined, unknown>);

/** A source with what it starts. Chain `.attach()` for more targets. */
export interface TriggerDefinition {
  readonly kind: "trigger";
  readonly source: SourceDefinition;
  readonly attachments: Attachment[];
  attach(target: Attachment | Attachment[]): TriggerDefinition;
}

export interface Source {
  readonly definition: SourceDefinition;
  /** Attaches one target (or several); the result is what a trigger file default-exports. */
  attach(target: Attachment | Attachment[]): TriggerDefinition;
}

/**
 * The attachment's id, `<source>:<target>` (`#<n>` added when one source attaches the same
 * target twice). Run ids of trigger deliveries derive from it, so reordering attachments
 * does not change them.
 * @example attachmentId(trigger, 0) // "stripe-paid:record-payment"
 */
export function attachmentId(trigger: TriggerDefinition, index: number): string {
  const target = (a: Attachment) => ("workflow" in a ? a.workflow.slug : a.agent.slug);
  const attachment = trigger.attachments[index];
  if (!attachment) throw new RangeError(`${trigger.source.slug} has no attachment ${index}`);
  const slug = target(attachment);
  const before = trigger.attachments.slice(0, index).filter((a) => target(a) === slug).length;
  return `${trigger.source.slug}:${slug}${before ? `#${before + 1}` : ""}`;
}

function trigger(source: SourceDefinition, attachments: Attachment[]): TriggerDefinition {
  return {
    kind: "trigger",
    source,
    attachments,
    attach: (target) => trigger(source, [...attachments, ...(Array.isArray(target) ? target : [target])]),
  };
}

/** Refuses a schedule or time zone croner cannot read, when the trigger file loads rather than at its first tick. */
function assertSchedule(slug: string, schedule: string, timezone: string | undefined): void {
  // The Worker's cron ticks once a minute, so a seconds field could never be honoured.
  if (!schedule.startsWith("@") && schedule.trim().split(/\s+/).length !== 5)
    throw new UsageError(
      `trigger ${slug}: schedule "${schedule}" must have five fields (minute hour day month weekday)`,
    );
  try {
    new Cron(schedule, { timezone: timezone ?? "UTC", paused: true }).nextRun();
  } catch (error) {
    throw new UsageError(`trigger ${slug}: schedule "${schedule}" (${timezone ?? "UTC"}): ${(error as Error).message}`);
  }
}

function source(definition: SourceDefinition): Source {
  assertSlug("trigger", definition.slug);
  if (definition.kind !== "webhook") assertSchedule(definition.slug, definition.schedule, definition.timezone);
  return { definition, attach: (target) => trigger(definition, Array.isArray(target) ? target : [target]) };
}

/**
 * A webhook source on `POST /triggers/<endpoint>`.
 * @example
 * export default defineWebhookSource({
 *   slug: "stripe-paid",
 *   endpoint: "stripe",
 *   request: z.object({ type: z.string(), data: z.object({ object: z.object({ id: z.string() }) }) }),
 *   filter: z.object({ type: z.literal("invoice.paid") }),
 *   auth: { hmac: { secret: "STRIPE_SIGNING_SECRET", header: "x-signature", algorithm: "sha256" } },
 * }).attach({ workflow: recordPayment, transform: (event) => ({ invoiceId: event.data.object.id }) });
 */
export function defineWebhookSource<P extends z.ZodType>(options: WebhookSourceOptions<P>): Source {
  if (!/^[a-z0-9][a-z0-9-/]*$/.test(options.endpoint))
    throw new UsageError(`webhook endpoint "${options.endpoint}" must be lowercase letters, digits, - and /`);
  return source({ kind: "webhook", ...options, request: options.request ?? options.payload } as SourceDefinition);
}

/**
 * A schedule. The Worker's per-minute cron fires every source due that minute.
 * @example export default defineCronSource({ slug: "nightly", schedule: "@daily", timezone: "Europe/Paris" }).attach({ workflow: digest });
 */
export function defineCronSource(options: CronSourceOptions): Source {
  return source({ kind: "cron", ...options });
}

/**
 * A poll: on its schedule `run` fetches what is new; each tick that passes `filter` starts runs,
 * and the cursor advances only once they started (at least once, never lost).
 * @example
 * export default definePollSource({
 *   slug: "inbox",
 *   schedule: "*\/5 * * * *",
 *   state: z.object({ since: z.number() }),
 *   run: async ({ state, setState }) => { const items = await fetchSince(state?.since ?? 0); setState({ since: Date.now() }); return { items }; },
 *   filter: (r) => r.items.length > 0,
 * }).attach({ workflow: triage });
 */
export function definePollSource<S extends z.ZodType | undefined, P>(options: PollSourceOptions<S, P>): Source {
  return source({ kind: "poll", ...(options as unknown as PollSourceOptions<z.ZodType | undefined, unknown>) });
}
