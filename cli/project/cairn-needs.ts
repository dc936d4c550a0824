// What a Worker needs for Cairn (bindings, migrations, queue, bucket, cron, flags) and what a config lacks.
import type { WranglerConfig } from "./wrangler-config.ts";

/** The Durable Object bindings the engine reads from `env`, with their SQLite classes. */
export const CAIRN_DURABLE_OBJECTS = [
  { name: "RUNS", class_name: "RunObject" },
  { name: "INDEX", class_name: "IndexObject" },
  { name: "SESSIONS", class_name: "AgentSessionObject" },
  { name: "TRIGGERS", class_name: "TriggerStateObject" },
  { name: "WORKFLOWS", class_name: "WorkflowObject" },
] as const;

export const CAIRN_COMPATIBILITY_DATE = "2026-04-01";
export const CAIRN_FLAG = "nodejs_compat";
/** The scheduler's tick: cron sources, polls and the stall sweep run every minute. */
export const CAIRN_CRON = "* * * * *";
export const FANOUT_BINDING = "FANOUT";
export const PAYLOADS_BINDING = "PAYLOADS";
/** The folders `cairn generate` scans, watched by `wrangler dev` to regenerate on a new file. */
export const DEFINITION_FOLDERS = ["workflows", "actions", "agents", "triggers"] as const;

/** Queue and bucket names are account-wide, so they carry the Worker's name. */
export function fanoutQueueName(workerName: string): string {
  return `${workerName}-cairn-fanout`;
}

export function payloadsBucketName(workerName: string): string {
  return `${workerName}-cairn-payloads`;
}

/**
 * A name wrangler accepts for a Worker: lowercase letters, digits and dashes.
 * @example workerName("@acme/My App") // "my-app"
 */
export function workerName(raw: string): string {
  const base = raw.replace(/^@[^/]*\//, "");
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 54);
  return name || "cairn-app";
}

/** The build step that regenerates cairn.gen.ts, for a given source folder. */
export function buildSection(srcDir: string): { command: string; watch_dir: string[] } {
  return {
    command: `npx cairn generate ${srcDir}`,
    watch_dir: DEFINITION_FOLDERS.map((f) => `${srcDir}/${f}`),
  };
}

/** What a config lacks for Cairn; empty lists and undefined fields mean "already there". */
export interface CairnAdditions {
  name?: string;
  compatibilityDate?: string;
  /** Add nodejs_compat to compatibility_flags (creating the key when absent). */
  flag: boolean;
  durableObjects: { name: string; class_name: string }[];
  migration?: { tag: string; new_sqlite_classes: string[] };
  producer?: { queue: string; binding: string };
  consumer?: { queue: string; max_batch_size: number; max_batch_timeout: number };
  r2?: { binding: string; bucket_name: string };
  /** Add the every-minute cron (creating `triggers`/`crons` when absent). */
  cron: boolean;
  build?: { command: string; watch_dir: string[] };
  /** Things Cairn cannot add without overriding the user's choice: printed, never written. */
  notes: string[];
}

/** True when there is nothing to add. */
export function isComplete(additions: CairnAdditions): boolean {
  const { notes: _, ...rest } = additions;
  return Object.entries(rest).every(([, v]) => v === undefined || v === false || (Array.isArray(v) && v.length === 0));
}

/** Compares a config with what Cairn needs, never proposing to change what the user set. */
export function cairnAdditions(config: WranglerConfig, name: string, srcDir: string): CairnAdditions {
  const notes: string[] = [];
  const boundNames = new Map(config.durableObjects.map((b) => [b.name, b.class_name]));
  const durableObjects = CAIRN_DURABLE_OBJECTS.filter((b) => {
    const existing = boundNames.get(b.name);
    if (existing !== undefined && existing !== b.class_name) {
      notes.push(`the Durable Object binding ${b.name} points at ${existing}; Cairn needs it bound to ${b.class_name}`);
    }
    return existing === undefined;
  }).map((b) => ({ ...b }));

  const declared = new Set(config.migrations.flatMap((m) => m.classes));
  const undeclared = CAIRN_DURABLE_OBJECTS.map((b) => b.class_name).filter((c) => !declared.has(c));
  const tags = new Set(config.migrations.map((m) => m.tag));
  let n = 1;
  while (tags.has(`cairn-v${n}`)) n++;
  const migration = undeclared.length > 0 ? { tag: `cairn-v${n}`, new_sqlite_classes: undeclared } : undefined;

  const existingProducer = config.producers.find((p) => p.binding === FANOUT_BINDING);
  const queue = existingProducer?.queue ?? fanoutQueueName(name);
  const producer = existingProducer ? undefined : { queue, binding: FANOUT_BINDING };
  const consumer = config.consumers.some((c) => c.queue === queue)
    ? undefined
    : { queue, max_batch_size: 100, max_batch_timeout: 0 };
  const r2 = config.r2Buckets.some((r) => r.binding === PAYLOADS_BINDING)
    ? undefined
    : { binding: PAYLOADS_BINDING, bucket_name: payloadsBucketName(name) };

  let build: CairnAdditions["build"];
  if (config.build?.command === undefined) build = buildSection(srcDir);
  else if (!config.build.command.includes("cairn generate")) {
    notes.push(
      `your [build] command is "${config.build.command}"; append " && npx cairn generate ${srcDir}" so new workflow files register`,
    );
  }

  return {
    name: config.name === undefined ? name : undefined,
    compatibilityDate: config.compatibility_date === undefined ? CAIRN_COMPATIBILITY_DATE : undefined,
    flag: !config.compatibility_flags.includes(CAIRN_FLAG),
    durableObjects,
    migration,
    producer,
    consumer,
    r2,
    cron: !(config.crons ?? []).includes(CAIRN_CRON),
    build,
    notes,
  };
}

/** One line per addition, for the `updated wrangler.toml (...)` report. */
export function describeAdditions(a: CairnAdditions): string[] {
  const out: string[] = [];
  if (a.name) out.push(`name ${a.name}`);
  if (a.compatibilityDate) out.push(`compatibility_date ${a.compatibilityDate}`);
  if (a.flag) out.push(CAIRN_FLAG);
  if (a.durableObjects.length > 0) out.push(`Durable Objects ${a.durableObjects.map((b) => b.name).join(", ")}`);
  if (a.migration) out.push(`migration ${a.migration.tag}`);
  if (a.producer) out.push(`queue producer ${a.producer.queue}`);
  if (a.consumer) out.push(`queue consumer ${a.consumer.queue}`);
  if (a.r2) out.push(`R2 bucket ${a.r2.bucket_name}`);
  if (a.cron) out.push(`cron "${CAIRN_CRON}"`);
  if (a.build) out.push("build command");
  return out;
}
