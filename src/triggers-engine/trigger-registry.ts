// The Worker's triggers by source slug and by webhook endpoint: empty until createCairn fills it.
import type { TriggerDefinition } from "../../sdk/trigger.ts";
import { indexBySlug } from "../run/registry.ts";
import { warnUnauthenticatedSources } from "./webhook-guard.ts";

/** Every registered trigger by its source's slug (cron, poll and webhook alike). */
export const triggers = new Map<string, TriggerDefinition>();

/** Registers triggers by source slug; a second trigger under a taken slug throws, naming it. */
export function registerTriggers(candidates: readonly unknown[]): void {
  indexBySlug<TriggerDefinition>(triggers, "trigger", candidates, (t) => t.source.slug);
  // createCairn runs as the isolate starts: the closest a Worker has to a startup log.
  warnUnauthenticatedSources(triggers.values());
}

export function webhookTriggers(endpoint: string): TriggerDefinition[] {
  return [...triggers.values()].filter((t) => t.source.kind === "webhook" && t.source.endpoint === endpoint);
}
