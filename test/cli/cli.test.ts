import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, freePort, startDevServer } from "../support/wrangler-dev.ts";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer();
});

afterAll(async () => {
  await server?.stop();
});

/** Runs the real `cairn` binary; stdout is a pipe, so output is JSON unless a test says otherwise. */
function cairn(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["bin/cairn.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, CAIRN_URL: server.url, NO_COLOR: "1", ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the cairn CLI against wrangler dev", () => {
  it("lists workflows", () => {
    const { code, stdout } = cairn(["workflows", "list"]);
    expect(code).toBe(0);
    const slugs = (JSON.parse(stdout) as { slug: string }[]).map((w) => w.slug);
    expect(slugs).toContain("greeting");
  });

  it("runs a workflow with --wait and prints valid JSON with its output when piped", () => {
    const { code, stdout } = cairn(["workflows", "run", "greeting", "--input", '{"name":"Ada"}', "--wait"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: "success", output: { message: "Hello, Ada!" } });
  });

  it("reads --input from @file.json", () => {
    const file = join(mkdtempSync(join(tmpdir(), "cairn-cli-")), "input.json");
    writeFileSync(file, JSON.stringify({ email: "file@example.com" }));
    const { code, stdout } = cairn(["workflows", "run", "signup-pipeline", "--input", `@${file}`, "--wait"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).output).toEqual({ accountId: "acct_file", messageId: "msg_acct_file" });
  });

  it("exits 2 for bad --input JSON and unknown commands", () => {
    expect(cairn(["workflows", "run", "greeting", "--input", "{nope"]).code).toBe(2);
    expect(cairn(["workflows", "frobnicate"]).code).toBe(2);
  });

  it("exits 1 with the server's code for an unknown workflow", () => {
    const { code, stderr } = cairn(["workflows", "run", "no-such-flow", "--input", "{}"]);
    expect(code).toBe(1);
    expect(stderr).toContain("workflow_not_found");
  });

  it("exits 1 with the issues when the server rejects the input", () => {
    const { code, stderr } = cairn(["workflows", "run", "place-order", "--input", '{"sku":"a","amount":-1}', "--wait"]);
    expect(code).toBe(1);
    expect(stderr).toContain("invalid_input");
  });

  it("prints one field of a run with --field", () => {
    const started = JSON.parse(
      cairn(["workflows", "run", "greeting", "--input", '{"name":"Field"}', "--wait"]).stdout,
    ) as { runId: string };
    const { code, stdout } = cairn(["runs", "get", started.runId, "--field", "output"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ message: "Hello, Field!" });
  });

  it("watches a sleeping run resume and finish, step by step on a terminal-style output", () => {
    const started = JSON.parse(
      cairn(["workflows", "run", "delayed-followup", "--input", '{"to":"x","delay":"2s"}']).stdout,
    ) as { runId: string };
    const { code, stdout } = cairn(["runs", "watch", started.runId, "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).status).toBe("success");
    const human = spawnSync(
      process.execPath,
      [
        "-e",
        `process.stdout.isTTY = true; process.argv = ["node", "cairn", "runs", "watch", "${started.runId}"]; await import("./bin/cairn.mjs");`,
      ],
      {
        encoding: "utf8",
        env: { ...process.env, CAIRN_URL: server.url, NO_COLOR: "1" },
        input: "",
      },
    );
    expect(human.stdout).toContain("sleep#0 until");
    expect(human.stdout).toContain("sleep#0 woke up");
    expect(human.stdout).toContain("run finished");
  });

  it("resumes a hook by its URL and the run finishes approved", () => {
    const started = JSON.parse(
      cairn(["workflows", "run", "expense-approval", "--input", '{"employee":"a","amount":5,"manager":"m"}']).stdout,
    ) as { runId: string };
    let resumeUrl: string | undefined;
    for (let i = 0; i < 50 && !resumeUrl; i++)
      resumeUrl = (JSON.parse(cairn(["runs", "get", started.runId]).stdout) as { hooks: { resumeUrl?: string }[] })
        .hooks[0]?.resumeUrl;
    expect(resumeUrl).toBeDefined();
    expect(cairn(["hooks", "resume", resumeUrl!, "--data", '{"approved":true}']).code).toBe(0);
    const { stdout } = cairn(["runs", "watch", started.runId]);
    expect(JSON.parse(stdout).output).toEqual({ decision: "approved" });
  });

  it("cancels with a reason, retries and reruns a run, with the links and exit codes", () => {
    const input = '{"to":"ops@example.com","delay":"1h"}';
    const { runId } = JSON.parse(cairn(["workflows", "run", "delayed-followup", "--input", input]).stdout) as {
      runId: string;
    };
    const live = cairn(["runs", "retry", runId]);
    expect(live.code).toBe(1);
    expect(live.stderr).toContain("run_not_retryable");

    expect(cairn(["runs", "cancel", runId, "--reason", "sent by hand"]).code).toBe(0);
    expect(JSON.parse(cairn(["runs", "get", runId, "--field", "cancelReason"]).stdout)).toBe("sent by hand");

    const retried = cairn(["runs", "retry", runId, "--json"]);
    expect(retried.code).toBe(0);
    const retry = JSON.parse(retried.stdout) as { runId: string; status: string };
    expect(retry.runId).not.toBe(runId);
    expect(JSON.parse(cairn(["runs", "get", retry.runId, "--field", "retryOf"]).stdout)).toBe(runId);

    const rerun = cairn(["runs", "rerun", runId, "--input", '{"to":"other@example.com","delay":"1h"}']);
    expect(rerun.code).toBe(0);
    const rerunId = (JSON.parse(rerun.stdout) as { runId: string }).runId;
    const fresh = JSON.parse(cairn(["runs", "get", rerunId]).stdout) as { rerunOf: string; input: { to: string } };
    expect(fresh).toMatchObject({ rerunOf: runId, input: { to: "other@example.com" } });
    expect(cairn(["runs", "rerun", runId, "--input", "{nope"]).code).toBe(2);
    for (const id of [retry.runId, rerunId]) cairn(["runs", "cancel", id]);
  });

  it("tells the user to start a server when nothing listens", async () => {
    const port = await freePort();
    const { code, stderr } = cairn(["workflows", "list"], { CAIRN_URL: `http://127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(stderr).toContain("start one with `cairn dev`");
  });
});
