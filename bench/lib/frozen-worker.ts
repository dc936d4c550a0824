// The bench Worker bundled once into a temporary directory, for long measurements: `wrangler dev`
// reloads the Worker whenever a source file changes (and with it every in-memory counter of
// bench/object-meter.ts), which a shared working tree does often. A bundle outside it does not.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Bundles bench/worker.ts and returns a wrangler config that serves the bundle as is. */
export function frozenBenchConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), "cairn-bench-frozen-"));
  execFileSync(
    "npx",
    ["wrangler", "deploy", "--dry-run", "--config", "bench/wrangler.bench.toml", "--outdir", join(dir, "dist")],
    { stdio: "ignore" },
  );
  const toml = readFileSync("bench/wrangler.bench.toml", "utf8")
    .replace(/^main = .*$/m, 'main = "dist/worker.js"\nno_bundle = true')
    // The aliases point into the repository; the bundle already holds what they named.
    .replace(/\n\[alias\][\s\S]*$/, "\n");
  const config = join(dir, "wrangler.toml");
  writeFileSync(config, toml);
  return config;
}
