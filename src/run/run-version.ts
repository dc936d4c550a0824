// Which code a run starts on (decision 0018): the Worker's deployment, from its version metadata
// binding, and the workflow's structure hash, from the graph `cairn generate` wrote.
import type { RunVersion } from "../../sdk/engine/events.ts";
import type { Env } from "../env.ts";
import { versionOf } from "./registry.ts";

/** The version `run_started` records; undefined when neither is known (local dev without generate). */
export function runVersion(env: Env, slug: string): RunVersion | undefined {
  const deployment = env.CF_VERSION_METADATA?.id || undefined;
  const structure = versionOf(slug);
  if (!deployment && !structure) return undefined;
  return { ...(deployment ? { deployment } : {}), ...(structure ? { structure } : {}) };
}

/** The deployment serving this isolate, when the binding is there. */
export function currentDeployment(env: Env): string | undefined {
  return env.CF_VERSION_METADATA?.id || undefined;
}
