// The operating commands against wrangler dev: runs events, workflows pause|resume, subscriptions,
// agents, triggers failures; --url checks, validation issues and step durations. Exit codes:
// 0 success, 1 the API refused (with its code), 2 a usage error.
import { spawn, spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { duration } from "../../cli/format.ts";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { type MockLlmServer, openAiReply, startMockLlmServer } from "../support/mock-llm-server.ts";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

let server: DevServer;
let mock: MockLlmServer;

beforeAll(async () => {
  mock = await startMockLlmServer();
  server = await startDevServer({
    vars: { OPENAI_API_KEY: "sk-cli", OPENAI_BASE_URL: mock.openAiBaseUrl, CAIRN_ENCRYPTION_KEY: "cli-test-key" },
  });
});

afterAll(async () => {
  await server?.stop();
  await mock?.close();
});

/** Runs the real `cairn` binary; stdout is a pipe, so output is JSON unless `human` says otherwise. */
function cairn(args: string[], options: { env?: Record<string, string>; human?: boolean } = {}) {
  const env = { ...process.env, CAIRN_URL: server.url, NO_COLOR: "1", ...options.env };
  const result = options.human
    ? // A terminal on stdout: the human tables.
      spawnSync(
        process.execPath,
        [
          "-e",
          `process.stdout.isTTY = true; process.argv = ["node", "cairn", ...${JSON.stringify(args)}]; await import("./bin/cairn.mjs");`,
        ],
        { encoding: "utf8", env, input: "", timeout: 110_000 },
      )
    : spawnSync(process.execPath, ["bin/cairn.mjs", ...args], { encoding: "utf8", env, timeout: 110_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const json = <T>(result: { stdout: string }) => JSON.parse(result.stdout) as T;

/**
 * `cairn` without blocking this process: the mock model server lives here and must answer while
 * the command waits on it (spawnSync would deadlock). Human output (a terminal on stdout).
 */
function cairnWhileServing(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `process.stdout.isTTY = true; process.argv = ["node", "cairn", ...${JSON.stringify(args)}]; await import("./bin/cairn.mjs");`,
    ],
    { env: { ...process.env, CAIRN_URL: server.url, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

function startWaited(slug: string, input: unknown): { runId: string; status: string } {
  const result = cairn(["workflows", "run", slug, "--input", JSON.stringify(input), "--wait"]);
  expect(result.code, result.stderr).toBe(0);
  return json(result);
}

describe("cairn runs events", () => {
  it("prints the event history one line per event, and the raw events with --json", () => {
    const { runId } = startWaited("inventory-check", { sku: "sku-1" });
    const raw = cairn(["runs", "events", runId]);
    expect(raw.code).toBe(0);
    const events = json<RunEvent[]>(raw);
    expect(events.map((e) => e.type)).toEqual([
      "run_started",
      "step_started",
      "step_retrying",
      "step_started",
      "step_retrying",
      "step_started",
      "step_completed",
      "run_completed",
    ]);
    const human = cairn(["runs", "events", runId], { human: true });
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^SEQ\s+TIME\s+\+\s+TYPE\s+STEP\s+DETAIL$/);
    expect(lines).toHaveLength(events.length + 1);
    const retrying = lines.find((line) => line.includes("step_retrying"));
    expect(retrying).toContain("check-inventory#0");
    expect(retrying).toContain("attempt 1 failed: Error: inventory service unavailable (attempt 1)");
    expect(lines.at(-1)).toMatch(/run_completed .*output \{"sku":"sku-1","inStock":true,"attempts":3\}/);

    const after = json<RunEvent[]>(cairn(["runs", "events", runId, "--after", "6"]));
    expect(after.map((e) => e.seq)).toEqual(events.slice(6).map((e) => e.seq));
  });

  it("exits 2 for a bad --after and 1 for a run that does not exist", () => {
    expect(cairn(["runs", "events", "run_x", "--after", "-1"]).code).toBe(2);
    const missing = cairn(["runs", "events", "run_00000000000000000000000000000000"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("run_not_found");
  });

  it("shows a retried step's duration over every attempt in runs get", () => {
    const { runId } = startWaited("inventory-check", { sku: "sku-2" });
    const events = json<RunEvent[]>(cairn(["runs", "events", runId]));
    const first = events.find((e) => e.type === "step_started")!;
    const last = events.find((e) => e.type === "step_completed")!;
    const lastStart = events.findLast((e) => e.type === "step_started")!;
    // Two backoffs (1 s, 2 s) lie between the first attempt and the last.
    expect(last.at - first.at).toBeGreaterThan(last.at - lastStart.at);
    const human = cairn(["runs", "get", runId], { human: true });
    const row = human.stdout.split("\n").find((line) => line.startsWith("check-inventory#0"));
    expect(row).toMatch(new RegExp(`completed\\s+3\\s+${duration(last.at - first.at).replace(".", "\\.")}$`));
  });
});

describe("cairn workflows pause | resume", () => {
  it("pauses a workflow (runs wait as queued), lists it paused, and resume releases them in order", () => {
    const paused = cairn(["workflows", "pause", "greeting", "--reason", "cli test"]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(json(paused)).toMatchObject({ workflow: "greeting", paused: true, reason: "cli test", by: "cli" });
    const listed = json<{ slug: string; paused?: boolean }[]>(cairn(["workflows", "list"]));
    expect(listed.find((w) => w.slug === "greeting")?.paused).toBe(true);
    expect(cairn(["workflows", "list"], { human: true }).stdout).toMatch(/greeting\s+Greeting\s+paused/);

    const ids = ["One", "Two"].map(
      (name) =>
        json<{ runId: string; status: string }>(
          cairn(["workflows", "run", "greeting", "--input", JSON.stringify({ name })]),
        ).runId,
    );
    for (const id of ids) expect(json<{ status: string }>(cairn(["runs", "get", id])).status).toBe("queued");

    const resumed = cairn(["workflows", "resume", "greeting"], { human: true });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("greeting resumed; 2 queued runs released");
    for (const id of ids) expect(json<{ status: string }>(cairn(["runs", "watch", id])).status).toBe("success");
  });

  it("exits 1 with the code for a workflow that does not exist", () => {
    const result = cairn(["workflows", "pause", "no-such-flow"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("workflow_not_found");
  });
});

describe("cairn subscriptions", () => {
  it("creates, lists, disables, enables and deletes a subscription", () => {
    const created = cairn([
      "subscriptions",
      "create",
      "daily-digest",
      "acme",
      "--metadata",
      '{"channel":"#ops"}',
      "--credentials",
      '{"slack":{"token":"xoxb-secret"}}',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const subscription = json<{ id: string; enabled: boolean; credentialKeys: string[] }>(created);
    expect(subscription).toMatchObject({ enabled: true, credentialKeys: ["slack"] });
    expect(created.stdout).not.toContain("xoxb-secret");

    const listed = json<{ subscriptions: { id: string; subscriber: string }[] }>(
      cairn(["subscriptions", "list", "daily-digest"]),
    );
    expect(listed.subscriptions.map((s) => s.subscriber)).toContain("acme");
    expect(cairn(["subscriptions", "list", "daily-digest"], { human: true }).stdout).toMatch(
      new RegExp(`${subscription.id}\\s+acme\\s+enabled`),
    );

    expect(json(cairn(["subscriptions", "disable", "daily-digest", subscription.id]))).toMatchObject({
      enabled: false,
    });
    expect(json(cairn(["subscriptions", "enable", "daily-digest", subscription.id]))).toMatchObject({ enabled: true });
    expect(cairn(["subscriptions", "delete", "daily-digest", subscription.id]).code).toBe(0);
    const again = cairn(["subscriptions", "delete", "daily-digest", subscription.id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("subscription_not_found");
  });

  it("exits 1 for a workflow that is not subscribable and 2 for metadata that is not an object", () => {
    const refused = cairn(["subscriptions", "create", "greeting", "acme"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("not_subscribable");
    expect(cairn(["subscriptions", "create", "daily-digest", "acme", "--metadata", "[1]"]).code).toBe(2);
  });
});

describe("cairn agents", () => {
  it("lists agents, prompts one and reads the session back", async () => {
    expect(json<{ slug: string }[]>(cairn(["agents", "list"])).map((a) => a.slug)).toContain("support");
    mock.reply(openAiReply("Order o-1 is on its way."));
    const prompted = await cairnWhileServing(["agents", "prompt", "support", "Where is o-1?"]);
    expect(prompted.code, `${prompted.stderr} (model calls: ${mock.requests.length})`).toBe(0);
    expect(prompted.stdout).toContain("Order o-1 is on its way.");
    const sessionId = /session (\S+) ·/.exec(prompted.stdout)?.[1];
    expect(sessionId).toBeDefined();

    const session = json<{ messages: { role: string; content: string }[] }>(
      cairn(["agents", "sessions", "support", sessionId!]),
    );
    expect(session.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    const human = cairn(["agents", "sessions", "support", sessionId!], { human: true });
    expect(human.stdout).toContain("user: Where is o-1?");
    expect(human.stdout).toContain("assistant: Order o-1 is on its way.");
  });

  it("exits 1 with the code for a session that does not exist", () => {
    const result = cairn(["agents", "sessions", "support", "no-such-session"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("session_not_found");
  });
});

describe("cairn triggers failures", () => {
  it("lists a trigger's failed deliveries, and exits 1 for an unknown trigger", () => {
    const result = cairn(["triggers", "failures", "signup-webhook"]);
    expect(result.code, result.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
    const missing = cairn(["triggers", "failures", "no-such-trigger"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("trigger_not_found");
  });
});

describe("usage and validation errors", () => {
  it("exits 2 when --url (or CAIRN_URL) is not a URL, for every kind of command", () => {
    for (const args of [
      ["--url", "nope", "workflows", "list"],
      ["--url", "ftp://127.0.0.1", "runs", "events", "run_x"],
      ["subscriptions", "list", "daily-digest", "--url", "127.0.0.1:8787"],
      ["--url", "nope", "dev"],
    ]) {
      const result = cairn(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/--url ".*" is not an http\(s\) URL/);
    }
    const env = cairn(["agents", "list"], { env: { CAIRN_URL: "not a url" } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('CAIRN_URL "not a url" is not an http(s) URL');
  });

  it("prints each field path and message of a rejected input", () => {
    const result = cairn(["workflows", "run", "place-order", "--input", '{"sku":7,"amount":-1}']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("invalid_input");
    expect(result.stderr).toMatch(/^ {2}sku: .+$/m);
    expect(result.stderr).toMatch(/^ {2}amount: .+$/m);
  });
});
