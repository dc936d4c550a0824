// Webhook sources without credentials: refused outside local development unless marked
// `public`, and named in a warning once per isolate (Workers have no startup hook).
import type { TriggerDefinition, WebhookSourceOptions } from "../../sdk/trigger.ts";
import type { AuthResult } from "./signature.ts";

type WebhookOptions = Pick<WebhookSourceOptions<never>, "slug" | "endpoint" | "auth" | "public">;

/** Whether a source asks no credentials at all (neither a token nor an HMAC). */
export function isUnauthenticated(source: WebhookOptions): boolean {
  return source.auth?.token === undefined && source.auth?.hmac === undefined;
}

/**
 * The refusal of a delivery to a source without credentials on a public host, or undefined when
 * it may proceed: the source has credentials (checked elsewhere), says `public: true`, or the
 * request came to a loopback host (`local`, local development).
 * @example unauthenticatedRefusal({ slug: "s", endpoint: "e" }, false) // { ok: false, authRequired: true, ... }
 */
export function unauthenticatedRefusal(
  source: WebhookOptions,
  local: boolean,
): Extract<AuthResult, { ok: false }> | undefined {
  if (!isUnauthenticated(source) || source.public === true || local) return undefined;
  return {
    ok: false,
    authRequired: true,
    reason: `webhook source ${source.slug} has no auth: give it auth (a token or an HMAC) or mark it public: true`,
  };
}

const warned = new Set<string>();

/**
 * Warns (once per isolate and source) about every webhook source that asks no credentials:
 * those not marked public are refused outside local development, the public ones take
 * deliveries from anyone.
 * @example warnUnauthenticatedSources(triggers) // console.warn("cairn: webhook source support-inbox ...")
 */
export function warnUnauthenticatedSources(
  triggers: Iterable<TriggerDefinition>,
  warn: (message: string) => void = console.warn,
): void {
  for (const { source } of triggers) {
    if (source.kind !== "webhook" || !isUnauthenticated(source) || warned.has(source.slug)) continue;
    warned.add(source.slug);
    warn(
      source.public
        ? `cairn: webhook source ${source.slug} (POST /triggers/${source.endpoint}) is public: anyone who finds the URL can start it`
        : `cairn: webhook source ${source.slug} (POST /triggers/${source.endpoint}) has no auth: it is refused outside local development; add auth (a token or an HMAC) or mark it public: true`,
    );
  }
}
