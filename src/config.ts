// The Worker's configuration variables, read and validated once per env object: a bad value is
// a coded error naming the variable at the first request, not a corrupt run weeks later.
import { z } from "zod";
import { DEFAULT_HISTORY_SHARDS, DEFAULT_RETENTION_DAYS, MAX_HISTORY_SHARDS } from "./limits.ts";

const DAY_MS = 86_400_000;

/** The variables the Worker reads from its env (secrets and vars alike). */
export interface ConfigEnv {
  CAIRN_RETENTION_DAYS?: string;
  CAIRN_API_KEY?: string;
  CAIRN_ALLOW_UNAUTHENTICATED?: string | boolean;
  CAIRN_ENCRYPTION_KEY?: string;
  PUBLIC_URL?: string;
  CAIRN_ALLOWED_HOSTS?: string;
  CAIRN_HISTORY_SHARDS?: string | number;
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
}

/** The validated configuration. Absent optional values are `undefined`, never `""`. */
export interface CairnConfig {
  /** How long a finished run is kept before it is deleted. */
  retentionMs: number;
  apiKey?: string;
  /**
   * `CAIRN_ALLOW_UNAUTHENTICATED=true`: management routes and the dashboard stay open without
   * an API key on a public host too. Off by default: without a key only loopback hosts are open.
   */
  allowUnauthenticated: boolean;
  encryptionKey?: string;
  /** Origin of hook resume URLs, without a trailing slash. */
  publicUrl?: string;
  /**
   * `CAIRN_ALLOWED_HOSTS`: hostnames (lower case, `host` or `host:port`) whose requests may name
   * the origin of resume URLs when PUBLIC_URL is unset. Empty: only loopback hosts may.
   */
  allowedHosts: readonly string[];
  /** `CAIRN_HISTORY_SHARDS`: IndexObjects the run history is spread over (decision 0015). */
  historyShards: number;
  openAiApiKey?: string;
  openAiBaseUrl?: string;
  anthropicApiKey?: string;
  anthropicBaseUrl?: string;
}

/** A configuration variable holds a value the Worker cannot use. */
export class ConfigError extends Error {
  readonly code = "invalid_config";
  constructor(
    readonly variable: keyof ConfigEnv,
    message: string,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

// An empty value is how dashboards and .dev.vars spell "unset": it means the default.
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const text = z.preprocess(unsetIfEmpty, z.string().optional());

const url = z.preprocess(
  unsetIfEmpty,
  z
    .url({ protocol: /^https?$/, error: "is not an http(s) URL" })
    .transform((value) => value.replace(/\/$/, ""))
    .optional(),
);

// Plain decimal digits only: "30d" or "1e3" is a mistake to report, not a number to guess at.
// (A number in wrangler.toml's [vars] arrives as a JSON number, not a string.)
const days = z.preprocess(
  (value) => unsetIfEmpty(typeof value === "number" ? String(value) : value),
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, { error: "is not a number of days" })
    .transform(Number)
    .refine((value) => value > 0, { error: "must be more than 0 days (0 would delete every run as it finishes)" })
    .optional(),
);

// "true" or "false" (a boolean when wrangler.toml's [vars] spells it without quotes); nothing
// else, so that "yes" or "1" is reported rather than silently read as "closed".
const flag = z.preprocess(
  (value) => unsetIfEmpty(typeof value === "boolean" ? String(value) : value),
  z
    .enum(["true", "false"], { error: 'is not "true" or "false"' })
    .transform((value) => value === "true")
    .optional(),
);

// "cairn.example.com, api.example.com:8443": hostnames, never URLs or wildcards, so a typo cannot
// trust more than it names.
const hosts = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine((list) => list.every((host) => /^[a-z0-9.-]+(:\d{1,5})?$/.test(host)), {
      error: "is not a comma-separated list of hostnames",
    })
    .optional(),
);

// A power of two that only grows (16 → 32 → 64): every shard an earlier count wrote to stays
// within the first N objects, so a listing that reads N of them still finds old runs.
const shards = z.preprocess(
  (value) => unsetIfEmpty(typeof value === "number" ? String(value) : value),
  z
    .string()
    .regex(/^\d+$/, { error: "is not a whole number of shards" })
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_HISTORY_SHARDS && (n & (n - 1)) === 0, {
      error: `must be a power of two from 1 to ${MAX_HISTORY_SHARDS}, and only ever grow`,
    })
    .optional(),
);

const schema = z.object({
  CAIRN_RETENTION_DAYS: days,
  CAIRN_API_KEY: text,
  CAIRN_ALLOW_UNAUTHENTICATED: flag,
  CAIRN_ENCRYPTION_KEY: text,
  PUBLIC_URL: url,
  CAIRN_ALLOWED_HOSTS: hosts,
  CAIRN_HISTORY_SHARDS: shards,
  OPENAI_API_KEY: text,
  OPENAI_BASE_URL: url,
  ANTHROPIC_API_KEY: text,
  ANTHROPIC_BASE_URL: url,
});

const EXAMPLES: Record<keyof ConfigEnv, string> = {
  CAIRN_RETENTION_DAYS: '"30" (days; decimals such as "0.5" allowed)',
  CAIRN_API_KEY: "any non-empty string",
  CAIRN_ALLOW_UNAUTHENTICATED: '"true" (leave the management routes open without an API key) or "false"',
  CAIRN_ENCRYPTION_KEY: "any non-empty string",
  PUBLIC_URL: '"https://cairn.example.com"',
  CAIRN_ALLOWED_HOSTS: '"cairn.example.com,cairn.example.org" (hostnames whose requests may name resume URLs)',
  CAIRN_HISTORY_SHARDS: '"16" (a power of two; raise it by doubling, never lower it)',
  OPENAI_API_KEY: '"sk-..."',
  OPENAI_BASE_URL: '"https://api.openai.com/v1"',
  ANTHROPIC_API_KEY: '"sk-ant-..."',
  ANTHROPIC_BASE_URL: '"https://api.anthropic.com"',
};

function parse(env: ConfigEnv): CairnConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = issue.path[0] as keyof ConfigEnv;
    const value = (env as Record<string, unknown>)[variable];
    // Secrets are never echoed back, only the name of the variable and what is wrong with it.
    const shown = variable.endsWith("_KEY") ? "its value" : JSON.stringify(value);
    throw new ConfigError(
      variable,
      `${variable}: ${shown} ${issue.message}; set it to e.g. ${EXAMPLES[variable]}, or leave it empty for the default`,
    );
  }
  const v = result.data;
  return {
    retentionMs: (v.CAIRN_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS) * DAY_MS,
    apiKey: v.CAIRN_API_KEY,
    allowUnauthenticated: v.CAIRN_ALLOW_UNAUTHENTICATED ?? false,
    encryptionKey: v.CAIRN_ENCRYPTION_KEY,
    publicUrl: v.PUBLIC_URL,
    allowedHosts: v.CAIRN_ALLOWED_HOSTS ?? [],
    historyShards: v.CAIRN_HISTORY_SHARDS ?? DEFAULT_HISTORY_SHARDS,
    openAiApiKey: v.OPENAI_API_KEY,
    openAiBaseUrl: v.OPENAI_BASE_URL,
    anthropicApiKey: v.ANTHROPIC_API_KEY,
    anthropicBaseUrl: v.ANTHROPIC_BASE_URL,
  };
}

// Workers hand every request the same env object, so this parses once per isolate.
const cache = new WeakMap<object, CairnConfig | ConfigError>();

/**
 * The validated configuration of `env`, parsed on first use and cached per env object.
 * Throws the same ConfigError on every call while a value is invalid (logged once).
 *
 * @example
 * const { retentionMs } = readConfig(env);
 */
export function readConfig(env: ConfigEnv): CairnConfig {
  let entry = cache.get(env);
  if (!entry) {
    try {
      entry = parse(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(`invalid configuration: ${error.message}`);
      entry = error;
    }
    cache.set(env, entry);
  }
  if (entry instanceof ConfigError) throw entry;
  return entry;
}

/**
 * The HTTP answer of a misconfigured Worker: 500 `invalid_config`, since the fault is the
 * deploy's and retrying will not help until the variable is fixed (a 503 would invite retries).
 */
export function configErrorResponse(error: ConfigError): Response {
  return Response.json(
    { error: { code: error.code, message: error.message, variable: error.variable } },
    { status: 500 },
  );
}
