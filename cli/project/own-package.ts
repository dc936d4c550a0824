// Cairn's own package.json, found at runtime from this module's location (repo or installed tarball).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package names Cairn has been published under; the repo used the short one before issue 13. */
const OWN_NAMES = new Set(["cairn-workflows"]);

export interface OwnPackage {
  name: string;
  version: string;
}

let cached: OwnPackage | undefined;

/**
 * Walks up from this file to the nearest package.json that is Cairn's: from cli/project/ in the
 * repo and from dist/cli/project/ in the installed package alike, so no path depth is hard-coded.
 * @example ownPackage().version // "0.2.0"
 */
export function ownPackage(): OwnPackage {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const json = JSON.parse(readFileSync(candidate, "utf8")) as Partial<OwnPackage>;
      if (json.name && OWN_NAMES.has(json.name) && json.version) {
        cached = { name: json.name, version: json.version };
        return cached;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find Cairn's package.json above the CLI module");
    dir = parent;
  }
}
