// The replay gate end to end: `wrangler dev` serves a project with a sleeping run, the workflow
// file is edited so the recorded call changes, `cairn replay --url` fails naming the run and step;
// after the edit is undone it passes, and the run finishes on the code it was started on.
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliResult } from "../cli/support.ts";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

const repo = process.cwd();
const fixture = resolve("test/fixtures/replay-gate");
mkdirSync(resolve("test-artifacts"), { recursive: true });
// Inside the repository, so the project resolves `cairn-workflows` (and zod) without an install.
const project = mkdtempSync(join(repo, "test-artifacts", "replay-gate-"));
const workflowFile = join(project, "src", "workflows", "ship-order.ts");
let server: DevServer;

/** This repository's wrangler.toml, serving the project's src/ with `cairn-workflows` aliased to the sources. */
function projectConfig(): string {
  return readFileSync(join(repo, "wrangler.toml"), "utf8")
    .replace(/^name = .*$/m, 'name = "replay-gate"')
    .replace(/^main = .*$/m, 'main = "src/index.ts"')
    .replace(/^command = .*$/m, `command = "node ${join(repo, "bin", "cairn.mjs")} generate src"`)
    .replace(/^watch_dir = .*$/m, 'watch_dir = ["src/workflows", "src/actions"]')
    .replaceAll('= "./', `= "${repo}/`);
}

/** Runs `cairn replay` against the dev server from the project folder. */
function replay(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(repo, "bin", "cairn.mjs"), "replay", "--url", server.url, ...args], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1" },
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

/** Resolves once the run's live event stream shows `type` (no polling: the stream pushes it). */
async function eventSeen(runId: string, type: string): Promise<void> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/runs/${runId}/events?follow=1`, { signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the event stream ended before ${type}:\n${text}`);
    text += decoder.decode(value, { stream: true });
    if (text.includes(`"${type}"`)) break;
  }
  controller.abort();
}

const reloads = () => server.logs().split("Local server updated and ready").length - 1;

/** Writes the workflow file and resolves once wrangler dev serves the rebuilt Worker. */
async function editAndReload(text: string): Promise<void> {
  const before = reloads();
  writeFileSync(workflowFile, text);
  const deadline = Date.now() + 60_000;
  while (reloads() === before) {
    if (Date.now() > deadline) throw new Error(`wrangler dev did not reload:\n${server.logs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  cpSync(join(fixture, "src"), join(project, "src"), { recursive: true });
  writeFileSync(
    join(project, "src", "index.ts"),
    [
      'import { createCairn } from "cairn-workflows/worker";',
      'import * as definitions from "./cairn.gen.ts";',
      "export default createCairn(definitions);",
      'export { AgentSessionObject, IndexObject, RunObject, TriggerStateObject, WorkflowObject } from "cairn-workflows/worker";',
      "",
    ].join("\n"),
  );
  writeFileSync(join(project, "wrangler.toml"), projectConfig());
  server = await startDevServer({ cwd: project });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(project, { recursive: true, force: true });
});

describe("the replay gate against wrangler dev", () => {
  let runId = "";

  it("fails on an edit that changes a sleeping run's recorded call and passes once it is undone", async () => {
    const original = readFileSync(workflowFile, "utf8");
    // On a quiet machine the run still sleeps when the gate runs; on a loaded one it may wake on
    // the edited code (and be blocked) or even finish first: `--finished 5` checks it either way.
    const started = await fetch(`${server.url}/workflows/ship-order`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ orderId: "o-7", quantity: 2, pause: "30s" }),
    });
    expect(started.status).toBe(202);
    runId = ((await started.json()) as { runId: string }).runId;
    await eventSeen(runId, "sleep_started");

    const incompatible = original.replace(
      "reserveStock.run({ orderId, quantity })",
      "reserveStock.run({ orderId, quantity: quantity + 1 })",
    );
    expect(incompatible).not.toBe(original);
    await editAndReload(incompatible);
    const failing = await replay(["--finished", "5"]);
    expect(failing.code, failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(
      new RegExp(`run ${runId} \\(ship-order, (sleeping|blocked|success)\\) would diverge at step reserve-stock#0`),
    );
    expect(failing.stdout).toContain("input.quantity: 2 → 3");
    expect(failing.stdout).not.toContain("EXECUTED");

    await editAndReload(original);
    const passing = await replay(["--finished", "5", "--json"]);
    expect(passing.code, passing.stderr).toBe(0);
    const report = JSON.parse(passing.stdout) as { diverged: number; runs: { runId: string; ok: boolean }[] };
    expect(report.diverged).toBe(0);
    expect(report.runs).toContainEqual(expect.objectContaining({ runId, ok: true }));
  }, 180_000);

  it("lets the run finish on the fixed code, its recorded step executed once", async () => {
    expect(runId).not.toBe("");
    const record = (await (await fetch(`${server.url}/runs/${runId}`)).json()) as { status: string };
    // Woken while the edited code was served, the run is blocked, holding its place; the fixed
    // code replays it once asked to (`POST /runs/:id/retry` re-drives a blocked run in place).
    if (record.status === "blocked") {
      const retried = await fetch(`${server.url}/runs/${runId}/retry`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(retried.status).toBe(202);
      expect(((await retried.json()) as { runId: string }).runId).toBe(runId);
    }
    const done = (await (await fetch(`${server.url}/runs/${runId}?wait=60`)).json()) as {
      status: string;
      output?: unknown;
    };
    expect(done).toMatchObject({ status: "success", output: { label: "label-o-7-r-o-7-2" } });
    expect(server.logs().split("EXECUTED reserve-stock o-7").length - 1).toBe(1);
    expect(server.logs().split("EXECUTED print-label o-7").length - 1).toBe(1);
  }, 90_000);
});
