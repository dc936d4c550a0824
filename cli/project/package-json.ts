// Merges what a Cairn project needs into package.json without changing anything the user set.
import { ownPackage } from "./own-package.ts";

/** The versions `cairn init` installs beside Cairn, known to work with it on Node 20. */
export const PINNED_DEV_DEPENDENCIES = {
  wrangler: "4.86.0",
  typescript: "5.9.3",
  vitest: "4.1.12",
  "@cloudflare/workers-types": "4.20260702.1",
} as const;

export const PACKAGE_SCRIPTS = {
  dev: "wrangler dev",
  deploy: "cairn deploy",
  test: "vitest run",
  typecheck: "tsc --noEmit",
  generate: "cairn generate src",
} as const;

type Json = Record<string, unknown>;

export interface PackageJsonMerge {
  /** The new text, or undefined when nothing changed. */
  text?: string;
  /** What was added, e.g. "scripts dev, deploy", for the report line. */
  added: string[];
}

/** Adds missing keys of `wanted` to the object at `key`; reports the names it added. */
function addMissing(json: Json, key: string, wanted: Record<string, string>): string[] {
  const current = (json[key] ?? {}) as Record<string, string>;
  const missing = Object.keys(wanted).filter((name) => current[name] === undefined);
  if (missing.length > 0) json[key] = { ...current, ...Object.fromEntries(missing.map((m) => [m, wanted[m]])) };
  return missing;
}

/**
 * Merges scripts and dependencies into a package.json's text (or creates one): every existing
 * field and version spec is kept, e.g. a `cairn-workflows` spec pointing at a local tarball.
 * @example mergePackageJson(undefined, { name: "my-app", module: true }).text
 */
export function mergePackageJson(
  existing: string | undefined,
  options: { name: string; module: boolean },
): PackageJsonMerge {
  const json: Json =
    existing === undefined ? { name: options.name, version: "0.0.0", private: true } : JSON.parse(existing);
  const added: string[] = [];
  if (options.module && json.type === undefined) {
    json.type = "module";
    added.push('"type": "module"');
  }
  const scripts = addMissing(json, "scripts", PACKAGE_SCRIPTS);
  if (scripts.length > 0) added.push(`scripts ${scripts.join(", ")}`);
  // A dependency listed in either section counts: users move wrangler or zod between them.
  const has = (name: string) =>
    [json.dependencies, json.devDependencies].some((deps) => (deps as Json | undefined)?.[name] !== undefined);
  const wantedDeps = Object.fromEntries(
    Object.entries({ "cairn-workflows": `^${ownPackage().version}`, zod: "^4.1.0" }).filter(([n]) => !has(n)),
  );
  const deps = addMissing(json, "dependencies", wantedDeps);
  if (deps.length > 0) added.push(`dependencies ${deps.join(", ")}`);
  const wantedDev = Object.fromEntries(Object.entries(PINNED_DEV_DEPENDENCIES).filter(([n]) => !has(n)));
  const dev = addMissing(json, "devDependencies", wantedDev);
  if (dev.length > 0) added.push(`devDependencies ${dev.join(", ")}`);
  if (added.length === 0) return { added };
  const indent = existing === undefined ? 2 : (/\n([ \t]+)"/.exec(existing)?.[1] ?? 2);
  return { text: `${JSON.stringify(json, null, indent)}\n`, added };
}
