// `cairn-workflows/trigger`: sources that start runs (webhooks, cron schedules, polls) and their
// attachments to workflows or agents. A file in `src/triggers/` default-exports `source.attach(...)`.
import { Cron } from "croner";
import type { z } from "zod";
import type { AgentDefinition } from "./agent.ts";
import { assertSlug } from "./engine/slug.ts";
import { UsageError } from "./errors.ts";
import type { WorkflowDefinition, WorkflowInput } from "./workflow-types.ts";

/** An attachment as a trigger keeps it, whatever its source's payload type. */
export type Attachment =
  | {
      workflow: WorkflowDefinition;
      /** Maps the source's payload to the workflow's input; without it the payload is the input. */
      transform?: (payload: never) => unknown;
    }
  | { agent: AgentDefinition; prompt: string | ((payload: never) => string) };

/**
 * A function of a source's payload. Its parameter is typed `P` where it is not annotated; an
 * annotation may narrow it (a payload without a schema is `unknown`), as method parameters may.
 */
type PayloadFn<P, R> = { bivariant(payload: P): R }["bivariant"];

/**
 * A workflow to start from a source whose payload is `P`: `transform` receives that payload and
 * must return the workflow's input (the input schema still checks it at run time).
 */
export interface WorkflowAttachment<P, W extends WorkflowDefinition> {
  workflow: W;
  /** Maps the source's payload to the workflow's input; without it the payload is the input. */
  transform?: PayloadFn<P, WorkflowInput<W>>;
}

/** An agent to prompt from a source whose payload is `P`. */
export interface AgentAttachment<P> {
  agent: AgentDefinition;
  prompt: string | PayloadFn<P, string>;
}

type InputOf<W> = W extends WorkflowDefinition ? WorkflowInput<W> : never;

/**
 * One element of an attachment list. `W` is inferred per element (the list's type is mapped over
 * the tuple), so each transform is checked against its own workflow's input.
 */
type ListedAttachment<P, W> =
  | { workflow: W & WorkflowDefinition; transform?: PayloadFn<P, InputOf<W>> }
  | AgentAttachment<P>;

/** Attaching targets to a source with payload `P`: each transform's return is checked against its workflow. */
export interface Attach<P> {
  <W extends WorkflowDefinition>(target: WorkflowAttachment<P, W>): TriggerDefinition<P>;
  (target: AgentAttachment<P>): TriggerDefinition<P>;
  <const T extends readonly unknown[]>(targets: { [K in keyof T]: ListedAttachment<P, T[K]> }): TriggerDefinition<P>;
}

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
  /**
   * Header with the provider's delivery id: a repeated id starts no second run. Ignored when
   * `auth.hmac` is set: a signed delivery is named by a hash of what its signature covers.
   */
  deliveryIdHeader?: string;
  /**
   * `true` accepts deliveries without credentials from anyone who finds the URL. A source with
   * no `auth` is refused (403 `webhook_auth_required`) outside local development unless it says
   * `public: true`; either way the Worker logs a warning naming it once per isolate.
   * @example defineWebhookSource({ slug: "status-ping", endpoint: "ping", public: true })
   */
  public?: boolean;
}

export interface CronSourceOptions<T = unknown> {
  slug: string;
  /** Five-field cron (names and nicknames like `@daily` allowed). */
  schedule: string;
  /** IANA time zone the schedule is read in (default UTC). */
  timezone?: string;
  /** Static payload for every tick (default `{}`). */
  payload?: T;
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
export interface TriggerDefinition<P = unknown> {
  readonly kind: "trigger";
  readonly source: SourceDefinition;
  readonly attachments: Attachment[];
  readonly attach: Attach<P>;
}

/** A source whose deliveries carry a payload of type `P` (a webhook's request schema output, a poll's result). */
export interface Source<P = unknown> {
  readonly definition: SourceDefinition;
  /** Attaches one target (or several); the result is what a trigger file default-exports. */
  readonly attach: Attach<P>;
}

/** Payload types are checked where `attach` is called; what a trigger keeps is untyped. */
function attachFn<P>(add: (targets: Attachment[]) => TriggerDefinition<P>): Attach<P> {
  return ((target: Attachment | readonly Attachment[]) =>
    add(Array.isArray(target) ? [...target] : [target as Attachment])) as Attach<P>;
}

function trigger<P>(source: SourceDefinition, attachments: Attachment[]): TriggerDefinition<P> {
  return {
    kind: "trigger",
    source,
    attachments,
    attach: attachFn((targets) => trigger<P>(source, [...attachments, ...targets])),
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

function source<P>(definition: SourceDefinition): Source<P> {
  assertSlug("trigger", definition.slug);
  if (definition.kind !== "webhook") assertSchedule(definition.slug, definition.schedule, definition.timezone);
  return { definition, attach: attachFn((targets) => trigger<P>(definition, targets)) };
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
export function defineWebhookSource<P extends z.ZodType>(options: WebhookSourceOptions<P>): Source<z.output<P>> {
  if (!/^[a-z0-9][a-z0-9-/]*$/.test(options.endpoint))
    throw new UsageError(`webhook endpoint "${options.endpoint}" must be lowercase letters, digits, - and /`);
  return source({ kind: "webhook", ...options, request: options.request ?? options.payload } as SourceDefinition);
}

/**
 * A schedule. The Worker's per-minute cron fires every source due that minute.
 * @example export default defineCronSource({ slug: "nightly", schedule: "@daily", timezone: "Europe/Paris" }).attach({ workflow: digest });
 */
export function defineCronSource<T = unknown>(options: CronSourceOptions<T>): Source<T> {
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
export function definePollSource<S extends z.ZodType | undefined, P>(options: PollSourceOptions<S, P>): Source<P> {
  return source({ kind: "poll", ...(options as unknown as PollSourceOptions<z.ZodType | undefined, unknown>) });
}
