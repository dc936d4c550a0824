// `cairn deploy` against a stub `wrangler` first on PATH: queues and buckets are created before the deploy.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { cairn, tempProject } from "./support.ts";

/**
 * A stand-in for wrangler that logs each call as one line of arguments. STUB_EXISTS names a
 * queue it answers "already exists" for; STUB_FAIL makes every `queues create` fail otherwise.
 */
const STUB = `#!/usr/bin/env node
const { appendFileSync } = require("node:fs");
const args = process.argv.slice(2);
appendFileSync(process.env.STUB_LOG, args.join(" ") + "\\n");
if (args[0] === "queues" && args[1] === "create") {
  if (process.env.STUB_FAIL) {
    console.error("Authentication error [code: 10000]");
    process.exit(1);
  }
  if (args[2] === process.env.STUB_EXISTS) {
    console.error("A queue with this name already exists [code: 11009]");
    process.exit(1);
  }
}
`;

/** A project made by `cairn init`, plus a stub wrangler; returns the folder and a runner. */
function deployFixture() {
  const dir = tempProject({}, "cairn-deploy-");
  expect(cairn(["init", "--yes", "--name", "shop"], dir).code).toBe(0);
  const bin = tempProject({ wrangler: STUB }, "cairn-stub-");
  chmodSync(join(bin, "wrangler"), 0o755);
  // The stub is CommonJS; a package.json without "type" keeps it so.
  writeFileSync(join(bin, "package.json"), "{}");
  const log = join(bin, "calls.log");
  const run = (args: string[], env: Record<string, string> = {}) => {
    const result = cairn(["deploy", ...args], dir, {
      PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
      STUB_LOG: log,
      ...env,
    });
    const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
    return { ...result, calls };
  };
  return { run };
}

describe("cairn deploy", () => {
  it("creates the queue and the R2 bucket before deploying, taking 'already exists' as done", () => {
    const { run } = deployFixture();
    const result = run(["--", "--minify"], { STUB_EXISTS: "shop-cairn-fanout" });
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      "queues create shop-cairn-fanout",
      "r2 bucket create shop-cairn-payloads",
      "deploy --minify",
    ]);
    expect(result.stdout).toContain("queue shop-cairn-fanout already exists");
    expect(result.stdout).toContain("npx wrangler secret put CAIRN_API_KEY");
  });

  it("stops with exit 1 and deploys nothing when a queue cannot be created", () => {
    const { run } = deployFixture();
    const result = run([], { STUB_FAIL: "1" });
    expect(result.code).toBe(1);
    expect(result.calls).toEqual(["queues create shop-cairn-fanout"]);
    expect(result.stderr).toContain("Authentication error");
    expect(result.stderr).toContain("could not create queue shop-cairn-fanout");
  });

  it("with --dry-run creates nothing and runs only wrangler deploy --dry-run", () => {
    const { run } = deployFixture();
    const result = run(["--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual(["deploy --dry-run"]);
    expect(result.stdout).toContain("would create queue shop-cairn-fanout");
  });
});
