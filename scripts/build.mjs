// `npm run build`: compiles sdk/, src/ and cli/ to dist/ (JavaScript, .d.ts, source maps) for the
// published package. tsc rewrites relative `.ts` imports to `.js` in the JavaScript but not in the
// declarations, so the .d.ts files get the same rewrite here: consumers resolve them with an
// ordinary tsconfig (no allowImportingTsExtensions).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});

/** Every file under `dir`. */
function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

const relativeTs = /((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+?)\.tsx?(["'])/g;
let rewritten = 0;
for (const file of files(dist)) {
  if (!file.endsWith(".d.ts")) continue;
  const text = readFileSync(file, "utf8");
  const next = text.replace(relativeTs, "$1$2.js$3");
  if (next !== text) {
    writeFileSync(file, next);
    rewritten++;
  }
}
console.error(`built dist/ (${rewritten} declaration files had their imports rewritten)`);
