// The project's triggers (src/triggers/*.ts default exports), by slug and by webhook endpoint.
import type { TriggerDefinition } from "../../sdk/trigger.ts";
import { triggerModules } from "../run/registry.ts";

export function buildTriggers(modules: readonly unknown[]): Map<string, TriggerDefinition> {
  const bySlug = new Map<string, TriggerDefinition>();
  for (const candidate of modules) {
    const trigger = candidate as TriggerDefinition;
    if (trigger?.kind !== "trigger") continue;
    if (bySlug.has(trigger.source.slug)) throw new Error(`two triggers use the slug "${trigger.source.slug}"`);
    bySlug.set(trigger.source.slug, trigger);
  }
  return bySlug;
}

/** Mutable so a test Worker can add fixture triggers, as it adds fixture workflows. */
export const triggers = buildTriggers(triggerModules);

export function webhookTriggers(endpoint: string): TriggerDefinition[] {
  return [...triggers.values()].filter((t) => t.source.kind === "webhook" && t.source.endpoint === endpoint);
}
