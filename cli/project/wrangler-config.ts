// Finds and reads a project's wrangler config (wrangler.toml, wrangler.jsonc or wrangler.json).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseJsonc, type ParseError } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";

/** The file names wrangler looks for, in its own order of preference. */
const CONFIG_FILES = ["wrangler.json", "wrangler.jsonc", "wrangler.toml"] as const;

export type ConfigFormat = "toml" | "json";

/** The parts of a wrangler config Cairn reads; everything else is kept untouched and unread. */
export interface WranglerConfig {
  name?: string;
  main?: string;
  compatibility_date?: string;
  compatibility_flags: string[];
  durableObjects: { name: string; class_name: string }[];
  migrations: { tag: string; classes: string[] }[];
  producers: { queue: string; binding: string }[];
  consumers: { queue: string }[];
  r2Buckets: { binding: string; bucket_name: string }[];
  /** Undefined when the config has no `triggers` table at all. */
  crons?: string[];
  hasTriggers: boolean;
  build?: { command?: string };
  /** The top-level `[vars]` that are strings (`PUBLIC_URL`, ...). */
  vars: Record<string, string>;
}

export interface ConfigFile {
  path: string;
  format: ConfigFormat;
  text: string;
  config: WranglerConfig;
}

/** The project's wrangler config file, or undefined when the folder has none. */
export function findConfig(dir: string): { path: string; format: ConfigFormat } | undefined {
  for (const file of CONFIG_FILES) {
    const path = join(dir, file);
    if (existsSync(path)) return { path, format: file.endsWith(".toml") ? "toml" : "json" };
  }
  return undefined;
}

/** Reads and parses the project's wrangler config; throws with the file name when it does not parse. */
export function readConfig(dir: string): ConfigFile | undefined {
  const found = findConfig(dir);
  if (!found) return undefined;
  const text = readFileSync(found.path, "utf8");
  return { ...found, text, config: parseConfig(text, found.format, found.path) };
}

/** Parses config text of either format into the parts Cairn reads. */
export function parseConfig(text: string, format: ConfigFormat, path = "wrangler config"): WranglerConfig {
  let raw: unknown;
  if (format === "toml") {
    try {
      raw = parseToml(text);
    } catch (error) {
      throw new Error(`${path} is not valid TOML: ${(error as Error).message}`);
    }
  } else {
    const errors: ParseError[] = [];
    raw = parseJsonc(text, errors, { allowTrailingComma: true });
    if (errors.length > 0) throw new Error(`${path} is not valid JSON: parse error at offset ${errors[0]?.offset}`);
  }
  return normalize(record(raw));
}

type Loose = Record<string, unknown>;

function record(value: unknown): Loose {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Loose) : {};
}

function records(value: unknown): Loose[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function normalize(raw: Loose): WranglerConfig {
  const queues = record(raw.queues);
  const triggers = raw.triggers === undefined ? undefined : record(raw.triggers);
  const build = raw.build === undefined ? undefined : record(raw.build);
  return {
    name: text(raw.name),
    main: text(raw.main),
    compatibility_date: text(raw.compatibility_date),
    compatibility_flags: strings(raw.compatibility_flags),
    durableObjects: records(record(raw.durable_objects).bindings).map((b) => ({
      name: text(b.name) ?? "",
      class_name: text(b.class_name) ?? "",
    })),
    // A class is declared by any migration that creates it or renames something to it.
    migrations: records(raw.migrations).map((m) => ({
      tag: text(m.tag) ?? "",
      classes: [
        ...strings(m.new_classes),
        ...strings(m.new_sqlite_classes),
        ...records(m.renamed_classes).flatMap((r) => strings([r.to])),
      ],
    })),
    producers: records(queues.producers).map((p) => ({ queue: text(p.queue) ?? "", binding: text(p.binding) ?? "" })),
    consumers: records(queues.consumers).map((c) => ({ queue: text(c.queue) ?? "" })),
    r2Buckets: records(raw.r2_buckets).map((r) => ({
      binding: text(r.binding) ?? "",
      bucket_name: text(r.bucket_name) ?? "",
    })),
    crons: triggers && Array.isArray(triggers.crons) ? strings(triggers.crons) : undefined,
    hasTriggers: triggers !== undefined,
    build: build ? { command: text(build.command) } : undefined,
    vars: Object.fromEntries(
      Object.entries(record(raw.vars)).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    ),
  };
}
