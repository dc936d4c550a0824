// What `cairn init` would create or change in a folder: computed first, written only once confirmed.
import { existsSync, readFileSync } from "node:fs";
import { basename, join, posix, resolve } from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { cairnAdditions, describeAdditions, isComplete, workerName as sanitize } from "./cairn-needs.ts";
import { addToJsonc } from "./jsonc-edit.ts";
import { mergePackageJson } from "./package-json.ts";
import { addToToml } from "./toml-edit.ts";
import { parseConfig, readConfig } from "./wrangler-config.ts";
import {
  cairnTs,
  devVarsExample,
  gitignoreLines,
  greetAction,
  helloTest,
  helloWorkflow,
  indexTs,
  mountingSnippet,
  tsconfigJson,
  vitestConfig,
} from "../templates/project-files.ts";
import { wranglerToml } from "../templates/wrangler-toml.ts";

/** One file to write, with the line the report prints for it. */
export interface FileChange {
  /** Relative to the project folder, with forward slashes. */
  path: string;
  content: string;
  report: string;
}

export interface InitPlan {
  dir: string;
  workerName: string;
  /** The folder holding the entry and definitions, relative (`src`). */
  srcDir: string;
  changes: FileChange[];
  /** Printed after the changes: what the user must do by hand, never written for them. */
  notes: string[];
  /** False when an existing entry must be edited by the user to mount Cairn. */
  entryWired: boolean;
}

function read(dir: string, path: string): string | undefined {
  const full = join(dir, path);
  return existsSync(full) ? readFileSync(full, "utf8") : undefined;
}

/** An entry already serves Cairn when it imports the worker module or the generated cairn.ts. */
function isWired(entry: string): boolean {
  return entry.includes("cairn-workflows/worker") || /from\s+["']\.\/cairn["']/.test(entry);
}

/** The worker name: --name, else the package.json name, else the folder's, sanitized for wrangler. */
function chooseName(dir: string, requested: string | undefined, packageText: string | undefined): string {
  const fromPackage = packageText ? (JSON.parse(packageText) as { name?: unknown }).name : undefined;
  return requested ?? (typeof fromPackage === "string" ? fromPackage : basename(resolve(dir)));
}

/**
 * Plans `cairn init` for a folder: a new project when it has no wrangler config, else only the
 * missing pieces of the existing Worker. Nothing the user wrote is overwritten.
 */
export function planInit(dir: string, options: { name?: string }): InitPlan {
  const changes: FileChange[] = [];
  const notes: string[] = [];
  const create = (path: string, content: string) => {
    if (read(dir, path) === undefined) changes.push({ path, content, report: `created ${path}` });
  };
  const packageText = read(dir, "package.json");
  const existing = readConfig(dir);
  const fresh = existing === undefined;
  const workerName = existing?.config.name ?? sanitize(chooseName(dir, options.name, packageText));
  const entryPath = existing?.config.main ?? "src/index.ts";
  const srcDir = posix.dirname(entryPath.replaceAll("\\", "/").replace(/^\.\//, ""));

  if (!existing) create("wrangler.toml", wranglerToml(workerName));
  else {
    const additions = cairnAdditions(existing.config, workerName, srcDir);
    notes.push(...additions.notes);
    if (!existing.config.main) notes.push(`${basename(existing.path)} has no \`main\`: point it at ${entryPath}`);
    if (!isComplete(additions)) {
      const text =
        existing.format === "toml" ? addToToml(existing.text, additions) : addToJsonc(existing.text, additions);
      // Re-read what was produced: an edit that breaks the file or misses a piece is never written.
      const after = cairnAdditions(parseConfig(text, existing.format, existing.path), workerName, srcDir);
      if (!isComplete(after)) {
        throw new Error(
          `could not add Cairn's pieces to ${existing.path} automatically: ${describeAdditions(after).join(", ")}`,
        );
      }
      const path = basename(existing.path);
      changes.push({
        path,
        content: text,
        report: `updated ${path} (added ${describeAdditions(additions).join(", ")})`,
      });
    }
  }

  const merged = mergePackageJson(packageText, { name: workerName, module: fresh });
  if (merged.text !== undefined) {
    const verb =
      packageText === undefined ? "created package.json" : `updated package.json (added ${merged.added.join("; ")})`;
    changes.push({ path: "package.json", content: merged.text, report: verb });
  }

  const tsconfig = read(dir, "tsconfig.json");
  if (tsconfig === undefined) create("tsconfig.json", tsconfigJson());
  else {
    const types = (parseJsonc(tsconfig) as { compilerOptions?: { types?: unknown } } | undefined)?.compilerOptions
      ?.types;
    if (!Array.isArray(types) || !types.includes("@cloudflare/workers-types")) {
      notes.push(
        'tsconfig.json: Cairn\'s types need the Workers globals: add "@cloudflare/workers-types" to compilerOptions.types (or include the file `wrangler types` writes)',
      );
    }
  }

  const entry = read(dir, entryPath);
  let entryWired = true;
  if (entry === undefined) create(entryPath, indexTs());
  else if (!isWired(entry)) {
    entryWired = false;
    create(`${srcDir}/cairn.ts`, cairnTs());
    notes.push(
      `${entryPath} is yours, so it was left as is. Mount Cairn in it, for example:\n\n${indent(mountingSnippet())}\n`,
    );
  }

  if (!existsSync(join(dir, srcDir, "workflows"))) {
    create(`${srcDir}/workflows/hello.ts`, helloWorkflow());
    create(`${srcDir}/actions/greet.ts`, greetAction());
    // The example test imports ../src/workflows/hello, so it only fits the standard layout.
    if (fresh && srcDir === "src") {
      create("test/hello.test.ts", helloTest());
      create("vitest.config.ts", vitestConfig());
    }
  }
  create(".dev.vars.example", devVarsExample());

  const gitignore = read(dir, ".gitignore");
  const wanted = gitignoreLines(srcDir);
  if (gitignore === undefined) create(".gitignore", `${wanted.join("\n")}\n`);
  else {
    const present = new Set(gitignore.split(/\r?\n/).map((l) => l.trim().replace(/^\/|\/$/g, "")));
    // `.cairn/` and `/.cairn` name the same folder: compare without the slashes.
    const missing = wanted.filter((l) => !present.has(l.replace(/^\/|\/$/g, "")));
    if (missing.length > 0) {
      const kept = gitignore.replace(/\s*$/, "");
      const content = `${kept ? `${kept}\n` : ""}${missing.join("\n")}\n`;
      changes.push({ path: ".gitignore", content, report: `updated .gitignore (added ${missing.join(", ")})` });
    }
  }
  return { dir, workerName, srcDir, changes, notes, entryWired };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => (l ? `    ${l}` : l))
    .join("\n");
}
