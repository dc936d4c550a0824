// Triggers over HTTP: webhook deliveries on POST /triggers/<endpoint> (their own credentials),
// and behind the API key GET /triggers and POST /triggers/:slug/enable|disable|invoke.
import { type Context, Hono } from "hono";
import { basePath } from "hono/route";
import { attachmentId } from "../../../sdk/attachment-id.ts";
import type { TriggerDefinition } from "../../../sdk/trigger.ts";
import { inputFailures } from "../../triggers-engine/attachment-input.ts";
import { deliveryIdOf } from "../../triggers-engine/delivery-id.ts";
import { fireTrigger, triggerState } from "../../triggers-engine/dispatch.ts";
import { tickPoll } from "../../triggers-engine/scheduled.ts";
import { type AuthResult, authenticate } from "../../triggers-engine/signature.ts";
import { triggers, webhookTriggers } from "../../triggers-engine/trigger-registry.ts";
import { unauthenticatedRefusal } from "../../triggers-engine/webhook-guard.ts";
import { matchDelivery } from "../../triggers-engine/webhook-match.ts";
import { authorize } from "../auth.ts";
import { isLoopback } from "../../public-origin.ts";
import { type AppEnv, serviceUrl } from "../base-path.ts";
import { parseJson, readText } from "../body.ts";
import { ApiError } from "../errors.ts";

type Ctx = Context<AppEnv>;

function describe(trigger: TriggerDefinition, state?: { enabled: boolean; lastFiredAt?: string; lastResult?: string }) {
  const s = trigger.source;
  return {
    slug: s.slug,
    kind: s.kind,
    ...(s.kind === "webhook"
      ? { endpoint: `/triggers/${s.endpoint}` }
      : { schedule: s.schedule, timezone: s.timezone ?? "UTC" }),
    attachments: trigger.attachments.map((a, i) => ({
      id: attachmentId(trigger, i),
      ...("workflow" in a ? { workflow: a.workflow.slug } : { agent: a.agent.slug }),
    })),
    enabled: state?.enabled ?? true,
    ...(state?.lastFiredAt ? { lastFiredAt: state.lastFiredAt, lastResult: state.lastResult } : {}),
  };
}

function requireKey(c: Ctx): void {
  authorize(c);
}

function findTrigger(slug: string): TriggerDefinition {
  const trigger = triggers.get(slug);
  if (!trigger) throw new ApiError("trigger_not_found", `no trigger with slug "${slug}"`);
  return trigger;
}

/** Sorts the delivery into the endpoint's sources (see matchDelivery), with each one's auth result. */
async function matchingSources(c: Ctx, sources: TriggerDefinition[], body: string, payload: unknown) {
  const states = new Map(
    (await triggerState(c.env).states(sources.map((t) => t.source.slug))).map((s) => [s.slug, s.enabled]),
  );
  const query = new URL(c.req.url).searchParams;
  const local = isLoopback(c.req.url);
  const candidates = await Promise.all(
    sources.map(async (trigger) => ({
      trigger,
      enabled: states.get(trigger.source.slug) ?? true,
      auth:
        trigger.source.kind === "webhook"
          ? (unauthenticatedRefusal(trigger.source, local) ??
            (await authenticate(
              trigger.source.auth,
              { body, headers: c.req.raw.headers, query },
              c.env as unknown as Record<string, unknown>,
            )))
          : ({ ok: true } as AuthResult),
    })),
  );
  return { outcome: matchDelivery(candidates, payload), auth: new Map(candidates.map((k) => [k.trigger, k.auth])) };
}

/**
 * Refuses with 422, starting nothing, a delivery that some attached workflow cannot take as input;
 * each failure is still recorded where `cairn triggers failures` reads it.
 */
async function refuseInvalidInputs(c: Ctx, matched: TriggerDefinition[], payload: unknown): Promise<void> {
  const failures = matched.flatMap((t) => inputFailures(t, payload).map((f) => ({ source: t.source.slug, ...f })));
  if (!failures.length) return;
  await Promise.all(failures.map((f) => triggerState(c.env).recordFailedDelivery(f.source, f.message, f.issues)));
  throw new ApiError(
    "invalid_trigger_payload",
    `the delivery cannot be turned into a workflow's input (${failures.map((f) => f.attachment).join(", ")}); nothing started`,
    {
      issues: failures.flatMap((f) => (Array.isArray(f.issues) ? f.issues : [{ message: f.message }])),
      failures: failures.map(({ attachment, message, issues }) => ({ attachment, message, issues })),
    },
  );
}

async function deliver(c: Ctx, endpoint: string) {
  const sources = webhookTriggers(endpoint);
  if (sources.length === 0) throw new ApiError("trigger_not_found", `no webhook listens on /triggers/${endpoint}`);
  const body = await readText(c);
  const payload = parseJson(body) ?? {};
  const { outcome, auth } = await matchingSources(c, sources, body, payload);
  if (outcome.kind === "unauthorized")
    throw new ApiError("unauthorized", "the delivery's token or signature is not valid; nothing started");
  if (outcome.kind === "auth_required")
    throw new ApiError(
      "webhook_auth_required",
      `webhook source ${outcome.sources.join(", ")} has no auth and is not marked public: true, so it only takes deliveries in local development; nothing started`,
    );
  if (outcome.kind === "malformed")
    throw new ApiError("invalid_input", `the body does not match the request schema of /triggers/${endpoint}`, {
      issues: outcome.issues,
    });
  if (outcome.kind === "skipped") return c.json({ ok: true, skipped: true }, 200);
  await refuseInvalidInputs(c, outcome.triggers, payload);
  const runIds: string[] = [];
  let fannedOut = 0;
  for (const trigger of outcome.triggers) {
    const source = trigger.source as Extract<TriggerDefinition["source"], { kind: "webhook" }>;
    const idHeader = source.deliveryIdHeader ? c.req.header(source.deliveryIdHeader) : undefined;
    const deliveryId = await deliveryIdOf(auth.get(trigger) ?? { ok: true }, idHeader);
    const result = await fireTrigger(c.env, trigger, payload, {
      type: "webhook",
      deliveryId,
      origin: serviceUrl(c),
      waitUntil: (w) => c.executionCtx.waitUntil(w),
    });
    runIds.push(...result.runIds);
    fannedOut += result.fannedOut;
  }
  return c.json({ runIds, ...(fannedOut ? { fannedOut } : {}) }, 202);
}

export const triggerRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    requireKey(c);
    const all = [...triggers.values()];
    const states = await triggerState(c.env).states(all.map((t) => t.source.slug));
    return c.json({ triggers: all.map((t, i) => describe(t, states[i])) });
  })
  .post("/:slug/:action{enable|disable|invoke}", async (c) => {
    const slug = c.req.param("slug");
    if (!triggers.has(slug)) return deliver(c, `${slug}/${c.req.param("action")}`);
    requireKey(c);
    const trigger = findTrigger(slug);
    const action = c.req.param("action");
    if (action !== "invoke") {
      await triggerState(c.env).setEnabled(slug, action === "enable");
      return c.json(describe(trigger, (await triggerState(c.env).states([slug]))[0]));
    }
    const deliveryId = `invoke-${crypto.randomUUID()}`;
    const origin = serviceUrl(c);
    if (trigger.source.kind === "poll") return c.json(await tickPoll(c.env, trigger, deliveryId), 202);
    const payload =
      trigger.source.kind === "cron" ? (trigger.source.payload ?? {}) : (parseJson(await readText(c)) ?? {});
    if (
      trigger.source.kind === "webhook" &&
      trigger.source.request &&
      !trigger.source.request.safeParse(payload).success
    ) {
      throw new ApiError("invalid_input", "the payload does not match the webhook's request schema");
    }
    return c.json(await fireTrigger(c.env, trigger, payload, { type: trigger.source.kind, deliveryId, origin }), 202);
  })
  .get("/:slug/failures", async (c) => {
    requireKey(c);
    findTrigger(c.req.param("slug"));
    return c.json({ failures: await triggerState(c.env).failedDeliveries(c.req.param("slug")) });
  })
  // The endpoint is the path below this route group's own base (`/triggers`, or `/cairn/triggers`).
  .post("/*", (c) => deliver(c, c.req.path.slice(basePath(c).length).replace(/^\//, "")));
