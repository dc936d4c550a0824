// `cairn replay --file`: pinned histories replayed offline against a project's local code.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliResult, cairn } from "./support.ts";

const fixture = resolve("test/fixtures/replay-gate");
// Inside the repository, so the copy resolves `cairn-workflows` and zod as a project would.
mkdirSync(resolve("test-artifacts"), { recursive: true });
const project = mkdtempSync(join(resolve("test-artifacts"), "replay-cli-"));
cpSync(join(fixture, "src"), join(project, "src"), { recursive: true });
cpSync(join(fixture, "histories"), join(project, "histories"), { recursive: true });
writeFileSync(join(project, "wrangler.toml"), 'name = "replay-cli"\nmain = "src/index.ts"\n');

afterAll(() => rmSync(project, { recursive: true, force: true }));

const replay = (...args: string[]) => cairn(["replay", ...args], project);

/** `cairn replay` without waiting for it, so independent calls run side by side. */
function replayAsync(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve("bin/cairn.mjs"), "replay", ...args], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1", CAIRN_URL: "" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}
const history = (name: string) => JSON.parse(readFileSync(join(fixture, "histories", name), "utf8")) as unknown;

describe("cairn replay --file", () => {
  it("exits 0 for a pinned history the local code replays, executing nothing", () => {
    const result = replay("--file", "histories/sleeping-order.json");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("replayed 1 run from histories/sleeping-order.json");
    expect(result.stdout).toContain("all 1 replay cleanly");
    expect(result.stdout).not.toContain("EXECUTED");
  });

  it("exits 1 for a history whose recorded call the code no longer makes, naming the run, step and diff", () => {
    const result = replay("--file", "histories/changed-quantity.json");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("run_0000000000000000000000000000bb02 (ship-order, sleeping)");
    expect(result.stdout).toContain("would diverge at step reserve-stock#0");
    expect(result.stdout).toContain("input.quantity: 1 → 2");
    expect(result.stdout).toContain("1 of 1 would diverge");
    expect(result.stderr).toContain("1 recorded run would diverge on this code");
    expect(result.stdout).not.toContain("EXECUTED");
  });

  it("reads an array and NDJSON, and with --json prints a report a script can read", async () => {
    // A run recorded before its first step: the code would call reserve-stock, which must not run.
    const started = history("sleeping-order.json") as { run: { runId: string; status: string }; events: unknown[] };
    started.run = { ...started.run, runId: "run_0000000000000000000000000000cc03", status: "queued" };
    started.events = started.events.slice(0, 1);
    const all = [history("sleeping-order.json"), started, history("changed-quantity.json")];
    writeFileSync(join(project, "histories", "all.json"), JSON.stringify(all));
    writeFileSync(join(project, "histories", "all.ndjson"), all.map((h) => JSON.stringify(h)).join("\n"));
    const results = await Promise.all(
      ["all.json", "all.ndjson"].map((f) => replayAsync(["--file", `histories/${f}`, "--json"])),
    );
    for (const result of results) {
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout) as {
        checked: number;
        diverged: number;
        runs: { runId: string; ok: boolean; reason?: { code: string; stepId: string; diff: string[] } }[];
      };
      expect(report).toMatchObject({ checked: 3, diverged: 1 });
      expect(report.runs.map((r) => [r.runId, r.ok])).toEqual([
        ["run_0000000000000000000000000000aa01", true],
        ["run_0000000000000000000000000000cc03", true],
        ["run_0000000000000000000000000000bb02", false],
      ]);
      expect(report.runs[2]?.reason).toMatchObject({ code: "non_determinism", stepId: "reserve-stock#0" });
      expect(report.runs[2]?.reason?.diff).toContain("input.quantity: 1 → 2");
    }
  });

  it("fails a run whose workflow the local code no longer has", () => {
    const gone = history("sleeping-order.json") as { run: { workflow: string }; events: { workflow?: string }[] };
    gone.run.workflow = "ship-parcel";
    writeFileSync(join(project, "histories", "gone.json"), JSON.stringify(gone));
    const result = replay("--file", "histories/gone.json");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('workflow "ship-parcel" is not in the local code');
  });

  it("exits 1 naming the file when the local code does not build", () => {
    const broken = mkdtempSync(join(resolve("test-artifacts"), "replay-broken-"));
    try {
      cpSync(join(project, "src"), join(broken, "src"), { recursive: true });
      writeFileSync(
        join(broken, "src", "workflows", "broken.ts"),
        'export default defineWorkflow({ slug: "broken", \n',
      );
      const result = cairn(
        ["replay", "--file", join(project, "histories", "sleeping-order.json"), "--dir", "src"],
        broken,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("broken.ts");
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it("exits 2 on usage errors: no source, both sources, a bad URL, a missing or malformed file", async () => {
    writeFileSync(join(project, "histories", "bad.json"), JSON.stringify({ run: { runId: "x" }, events: [] }));
    const usage: [string[], string][] = [
      [[], "pass --url <deployment>"],
      [["--url", "not a url"], '--url "not a url" is not an http(s) URL'],
      [["--url", "http://127.0.0.1:9", "--file", "histories/sleeping-order.json"], "not both"],
      [["--file", "histories/missing.json"], "no history file histories/missing.json"],
      [["--file", "histories/bad.json"], "is not a run export"],
    ];
    const results = await Promise.all(usage.map(([args]) => replayAsync(args)));
    for (const [i, result] of results.entries()) {
      const [args, message] = usage[i]!;
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });
});
