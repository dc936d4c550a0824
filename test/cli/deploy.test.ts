// `cairn deploy` against a stub `wrangler` first on PATH: queues and buckets are created before the deploy.
import { spawn } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { delimiter, join, resolve } from "node:path";
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

/**
 * The replay gate before a deploy: a project with the replay-gate fixture's workflow (inside the
 * repository, so it resolves `cairn-workflows`), a stub wrangler, and a stand-in deployment that
 * serves `GET /runs/export` with a pinned history and counts the requests it gets.
 */
async function gateFixture(vars: Record<string, string> = {}) {
  const fixture = resolve("test/fixtures/replay-gate");
  mkdirSync(resolve("test-artifacts"), { recursive: true });
  const dir = mkdtempSync(join(resolve("test-artifacts"), "deploy-gate-"));
  cpSync(join(fixture, "src"), join(dir, "src"), { recursive: true });
  const varLines = Object.entries(vars).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  writeFileSync(
    join(dir, "wrangler.toml"),
    [
      'name = "gate"',
      'main = "src/index.ts"',
      "[[r2_buckets]]",
      'binding = "PAYLOADS"',
      'bucket_name = "gate-payloads"',
      ...(varLines.length ? ["[vars]", ...varLines] : []),
      "",
    ].join("\n"),
  );
  const bin = tempProject({ wrangler: STUB, "package.json": "{}" }, "cairn-stub-");
  chmodSync(join(bin, "wrangler"), 0o755);
  const log = join(bin, "calls.log");
  const history = readFileSync(join(fixture, "histories", "changed-quantity.json"), "utf8");
  const requests: string[] = [];
  const deployment = createServer((req, res) => {
    requests.push(req.url ?? "");
    res.setHeader("content-type", "application/json");
    res.end(`{"runs":[${history}]}`);
  });
  await new Promise<void>((done) => deployment.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(deployment.address() as AddressInfo).port}`;
  /** `cairn deploy` without blocking this process: the stand-in deployment must answer meanwhile. */
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string; calls: string[] }>((done) => {
      const child = spawn(process.execPath, [resolve("bin/cairn.mjs"), "deploy", ...args], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: "1", PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`, STUB_LOG: log },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on("close", (code) => {
        const calls = existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [];
        done({ code, stdout, stderr, calls });
      });
    });
  const close = () => {
    deployment.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, run, requests, close };
}

describe("cairn deploy's replay gate", () => {
  it("replays the live runs of the PUBLIC_URL deployment first and deploys nothing when one would diverge", async () => {
    const gate = await gateFixture();
    const withVar = await gateFixture({ PUBLIC_URL: gate.url });
    try {
      const result = await withVar.run([]);
      expect(result.code, result.stderr).toBe(1);
      expect(gate.requests).toEqual(["/runs/export?scope=live&finished=0"]);
      expect(result.stdout).toContain("would diverge at step reserve-stock#0");
      expect(result.stderr).toContain("nothing was deployed");
      expect(result.calls).toEqual([]);
    } finally {
      gate.close();
      withVar.close();
    }
  });

  it("with --skip-replay deploys without asking the deployment", async () => {
    const gate = await gateFixture();
    try {
      const result = await gate.run(["--url", gate.url, "--skip-replay"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("replay gate: skipped (--skip-replay)");
      expect(gate.requests).toEqual([]);
      expect(result.calls).toEqual(["r2 bucket create gate-payloads", "deploy"]);
    } finally {
      gate.close();
    }
  });

  it("says so and deploys when no deployment answers at the URL (a first deploy)", async () => {
    const gate = await gateFixture();
    try {
      const result = await gate.run(["--url", "http://127.0.0.1:9"]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("no deployment answers at http://127.0.0.1:9");
      expect(result.calls).toEqual(["r2 bucket create gate-payloads", "deploy"]);
    } finally {
      gate.close();
    }
  });
});
