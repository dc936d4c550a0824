import { afterEach, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

let servers: DevServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

async function start(persistDir?: string, port?: number) {
  const server = await startDevServer({ persistDir, port });
  servers.push(server);
  return server;
}

async function post(url: string, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { runId: string; status: string };
}

type Run = { status: string; output?: unknown; hooks: { resumeUrl?: string }[] };

/** Reads the run record over HTTP, as any client would. */
async function getRun(server: DevServer, runId: string): Promise<Run> {
  return (await (await fetch(`${server.url}/runs/${runId}`)).json()) as Run;
}

async function waitUntil(server: DevServer, runId: string, statuses: string[], timeoutMs = 30_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(server, runId);
    if (statuses.includes(run.status) || Date.now() > deadline) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("runs survive a killed wrangler dev", () => {
  it("completes a hook-waiting run when its link is opened after a restart", async () => {
    const first = await start();
    const { runId } = await post(`${first.url}/workflows/expense-approval`, {
      employee: "ada",
      amount: 50,
      manager: "grace",
      timeout: "1h",
    });
    const waiting = await waitUntil(first, runId, ["waiting_on_hook"]);
    expect(waiting.status).toBe("waiting_on_hook");
    const link = waiting.hooks[0]!.resumeUrl!;
    await first.kill();
    servers = [];

    const second = await start(first.persistDir, first.port);
    expect((await getRun(second, runId)).status).toBe("waiting_on_hook");
    const opened = await fetch(`${link}?approved=true&note=ok`, { headers: { accept: "text/html" } });
    expect(await opened.text()).toContain("Confirm and record");
    // The page's one button POSTs the link's fields back to it: opening a link records nothing.
    const clicked = await fetch(`${link}?approved=true&note=ok`, {
      method: "POST",
      headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
      body: "approved=true&note=ok",
    });
    expect(clicked.status).toBe(200);
    const done = await waitUntil(second, runId, ["success", "failed"]);
    expect(done).toMatchObject({ status: "success", output: { decision: "approved", note: "ok" } });
  });

  it("wakes a sleeping run on time after a restart", async () => {
    const first = await start();
    const { runId } = await post(`${first.url}/workflows/delayed-followup`, { to: "ada", delay: "4s" });
    expect((await waitUntil(first, runId, ["sleeping"])).status).toBe("sleeping");
    await first.kill();
    servers = [];

    const second = await start(first.persistDir, first.port);
    const done = await waitUntil(second, runId, ["success", "failed"]);
    expect(done.status).toBe("success");
    expect(done.output).toMatchObject({ first: expect.any(String), followUp: expect.any(String) });
  });
});
