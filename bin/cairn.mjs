#!/usr/bin/env node
// The `cairn` command. The published package runs the built CLI (dist/cli/main.js); a checkout of
// the repository (where cli/main.ts exists) runs the TypeScript sources through tsx, so working on
// the CLI needs no build step.
import { existsSync } from "node:fs";

const source = new URL("../cli/main.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import(new URL("../dist/cli/main.js", import.meta.url).href);
}
