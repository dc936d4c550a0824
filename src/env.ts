// The Worker's bindings and secrets, as wrangler.toml and .dev.vars declare them.
import { readConfig } from "./config.ts";
import type { IndexObject } from "./history/index-object.ts";
import { allShardNames, shardName } from "./history/shards.ts";
import type { AgentSessionObject } from "./agents-runtime/session-object.ts";
import type { AiBinding } from "./models/workers-ai.ts";
import type { OffloadedStepMessage } from "./run/offload-port.ts";
import type { RunObject } from "./run/run-object.ts";
import type { FanOutMessage } from "./triggers-engine/dispatch.ts";
import type { TriggerStateObject } from "./triggers-engine/trigger-state-object.ts";
import type { WorkflowObject } from "./triggers-engine/workflow-object.ts";

export interface Env {
  RUNS: DurableObjectNamespace<RunObject>;
  INDEX: DurableObjectNamespace<IndexObject>;
  SESSIONS: DurableObjectNamespace<AgentSessionObject>;
  TRIGGERS: DurableObjectNamespace<TriggerStateObject>;
  WORKFLOWS: DurableObjectNamespace<WorkflowObject>;
  /**
   * Fan-out of subscribable workflows (one message per subscription) and offloaded step attempts
   * (`kind: "step"`, decision 0023).
   */
  FANOUT: Queue<FanOutMessage | OffloadedStepMessage>;
  /** Encrypts subscriber-scoped credential values at rest. */
  CAIRN_ENCRYPTION_KEY?: string;
  /** Workers AI, for `workers-ai/@cf/...` models (add an [ai] binding named AI). */
  AI?: AiBinding;
  /**
   * The Worker's version metadata (`[version_metadata] binding = "CF_VERSION_METADATA"`): runs
   * record the deployment they started on. Absent locally, which is fine.
   */
  CF_VERSION_METADATA?: WorkerVersionMetadata;
  /** Step and run outputs over 128 KiB (see src/limits.ts); optional, else outputs stay under 1 MiB. */
  PAYLOADS?: R2Bucket;
  /** IndexObjects the run history is spread over: a power of two, only ever raised (default 16). */
  CAIRN_HISTORY_SHARDS?: string;
  /** Days to keep finished runs (default 30). */
  CAIRN_RETENTION_DAYS?: string;
  /**
   * Management routes and the dashboard require `Authorization: Bearer <key>` (or the dashboard's
   * login cookie). Without it they are open only on loopback hosts (`wrangler dev`), or
   * everywhere with `CAIRN_ALLOW_UNAUTHENTICATED`.
   */
  CAIRN_API_KEY?: string;
  /**
   * `"true"` leaves the management routes and the dashboard open on any host when no
   * `CAIRN_API_KEY` is set (a Worker behind Cloudflare Access, say). Unset or `"false"`: a
   * deployed Worker without a key answers them 403 `api_key_required`.
   *
   * @example
   * # wrangler.toml
   * [vars]
   * CAIRN_ALLOW_UNAUTHENTICATED = "true"
   */
  CAIRN_ALLOW_UNAUTHENTICATED?: string;
  /**
   * The public URL Cairn is served at, including its mount path (`https://example.com/cairn`),
   * for hook resume URLs; else the origin and mount path of the request that started the run.
   */
  PUBLIC_URL?: string;
  /**
   * Hostnames (comma-separated) whose requests may name the origin of resume URLs when PUBLIC_URL
   * is unset, e.g. `"my-worker.example.workers.dev,example.com"`; loopback hosts always may.
   */
  CAIRN_ALLOWED_HOSTS?: string;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
}

// History object ids, derived once per namespace and name: every run reaches its shard twice.
const historyIds = new WeakMap<Env["INDEX"], Map<string, DurableObjectId>>();

function historyObject(env: Pick<Env, "INDEX">, name: string) {
  let ids = historyIds.get(env.INDEX);
  if (!ids) {
    ids = new Map();
    historyIds.set(env.INDEX, ids);
  }
  let id = ids.get(name);
  if (!id) {
    id = env.INDEX.idFromName(name);
    ids.set(name, id);
  }
  return env.INDEX.get(id);
}

/** The history shard (an IndexObject) that `runId` reports its summary to (decision 0015). */
export function historyIndex(env: Pick<Env, "INDEX" | "CAIRN_HISTORY_SHARDS">, runId: string) {
  return historyObject(env, shardName(runId, readConfig(env).historyShards));
}

/** Every history object a listing or sweep reads, the legacy `global` one first. */
export function historyShards(env: Pick<Env, "INDEX" | "CAIRN_HISTORY_SHARDS">) {
  return allShardNames(readConfig(env).historyShards).map((name) => ({ name, stub: historyObject(env, name) }));
}
