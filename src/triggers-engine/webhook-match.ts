// Which sources on a webhook endpoint take a delivery, and what to answer when none does.
// Pure: the route supplies each source's enabled flag and auth result.
import type { TriggerDefinition } from "../../sdk/trigger.ts";
import type { AuthResult } from "./signature.ts";

export interface Candidate {
  trigger: TriggerDefinition;
  enabled: boolean;
  auth: AuthResult;
}

export type MatchOutcome =
  | { kind: "matched"; triggers: TriggerDefinition[] }
  /** Every source that could have taken it refused its token or signature: 401, nothing starts. */
  | { kind: "unauthorized" }
  /** The sources that could have taken it ask no credentials and are not public: 403, nothing starts. */
  | { kind: "auth_required"; sources: string[] }
  /** The endpoint's only source refused the body's shape (`request`): 400 with the issues. */
  | { kind: "malformed"; issues: unknown }
  /** Disabled, filtered out, or not any shared source's shape: 200 `{ ok: true, skipped: true }`. */
  | { kind: "skipped" };

/**
 * Sorts one delivery into the sources that take it. A source takes it when it is enabled, its
 * credentials check out, and the body passes its `request` schema and its `filter`.
 * @example matchDelivery([{ trigger, enabled: true, auth: { ok: true } }], body) // { kind: "matched", ... }
 */
export function matchDelivery(candidates: readonly Candidate[], payload: unknown): MatchOutcome {
  const matched: TriggerDefinition[] = [];
  let unauthorized = 0;
  const authRequired: string[] = [];
  let malformed: unknown;
  for (const { trigger, enabled, auth } of candidates) {
    const source = trigger.source;
    if (source.kind !== "webhook" || !enabled) continue;
    if (!auth.ok) {
      if (auth.authRequired) authRequired.push(source.slug);
      else unauthorized++;
      continue;
    }
    const shape = source.request?.safeParse(payload);
    if (shape && !shape.success) {
      malformed = shape.error.issues;
      continue;
    }
    if (source.filter && !source.filter.safeParse(payload).success) continue;
    matched.push(trigger);
  }
  if (matched.length) return { kind: "matched", triggers: matched };
  if (unauthorized) return { kind: "unauthorized" };
  if (authRequired.length) return { kind: "auth_required", sources: authRequired };
  // On a shared endpoint a body of another source's shape is normal; on its own it is a mistake.
  if (candidates.length === 1 && malformed !== undefined) return { kind: "malformed", issues: malformed };
  return { kind: "skipped" };
}
