// `npm start` fires the Worker's cron by itself, as Cloudflare does deployed: the every-minute
// example trigger (examples/triggers/minute-greeting-cron.ts) starts a greeting run within 70 s
// of the server listening, with nobody calling anything.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/wrangler-dev.ts";

let child: ChildProcess | undefined;
let output = "";
const waiters: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];

/** Resolves with the first match of `pattern` in the server's output (so far or to come); rejects after `ms`. */
function outputMatching(pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const found = output.match(pattern);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} in the output within ${ms / 1000} s:\n${output.slice(-3000)}`)),
      ms,
    );
    waiters.push({
      pattern,
      resolve: (match) => {
        clearTimeout(timer);
        resolve(match);
      },
    });
  });
}

function collect(chunk: Buffer): void {
  output += String(chunk);
  for (const waiter of [...waiters]) {
    const match = output.match(waiter.pattern);
    if (!match) continue;
    waiters.splice(waiters.indexOf(waiter), 1);
    waiter.resolve(match);
  }
}

afterAll(async () => {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once("exit", resolve));
  // The whole group by its id: npm, the start script, wrangler and workerd.
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => process.kill(-child!.pid!, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
});

describe("npm start", () => {
  it("fires a cron trigger by itself within 70 s of listening", async () => {
    const port = await freePort();
    const inspector = await freePort();
    const state = mkdtempSync(join(tmpdir(), "cairn-local-cron-"));
    child = spawn(
      "npm",
      [
        "start",
        "--",
        "--persist-to",
        state,
        "--inspector-port",
        String(inspector),
        "--show-interactive-dev-session=false",
      ],
      {
        env: { ...process.env, PORT: String(port), CI: "true", NO_COLOR: "1", CAIRN_DEV_CRON: "" },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    const url = `http://127.0.0.1:${port}`;

    await outputMatching(/\[cairn\] local cron: firing "\* \* \* \* \*"/, 120_000);
    await outputMatching(/\[cairn\] cron "\* \* \* \* \*" fired for \d\d:\d\d UTC/, 70_000);

    const page = (await (await fetch(`${url}/runs?trigger=cron&workflow=greeting`)).json()) as {
      runs: { runId: string; trigger: { type: string; source?: string } }[];
    };
    // A fresh state folder: nothing but the cron can have started a run of this trigger.
    const fired = page.runs.filter((r) => r.trigger.source === "minute-greeting-cron");
    expect(fired.length).toBeGreaterThanOrEqual(1);
    const run = (await (await fetch(`${url}/runs/${fired[0]!.runId}?wait=20`)).json()) as {
      status: string;
      output: unknown;
    };
    expect(run).toMatchObject({ status: "success", output: { message: "Hello, cron!" } });
  }, 200_000);
});
