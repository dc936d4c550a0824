// Runs under load survive `wrangler dev` being killed (SIGKILL) and restarted with the same state.
import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

let server: DevServer | undefined;

afterAll(async () => {
  await server?.stop();
});

const RUNS = 300;

async function start(url: string, i: number): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/workflows/delayed-followup`, {
      method: "POST",
      // A request caught by the kill must fail, not hang: the client retries it.
      signal: AbortSignal.timeout(15_000),
      headers: { "content-type": "application/json", "idempotency-key": `load-${i}` },
      body: JSON.stringify({ to: `user${i}`, delay: "2s" }),
    });
    if (response.status !== 202 && response.status !== 200) return undefined;
    return ((await response.json()) as { runId: string }).runId;
  } catch {
    return undefined; // the server died under this request: the client retries with the same key
  }
}

describe("load with a killed server", () => {
  it("loses and duplicates nothing: every run started before or after the kill finishes, once", async () => {
    server = await startDevServer();
    const { persistDir } = server;
    const ids = new Map<number, string>();
    const inFlight = Array.from({ length: RUNS }, (_, i) => i).map(async (i) => {
      await new Promise((resolve) => setTimeout(resolve, (i % 50) * 20));
      const runId = await start(server!.url, i);
      if (runId) ids.set(i, runId);
    });
    // Kill the server at a random moment while starts are still arriving and the first runs
    // are asleep or mid-pass; the moment is printed so a failure can be replayed.
    const killAfterMs = 300 + Math.floor(Math.random() * 700);
    console.log(`load-restart: SIGKILL after ${killAfterMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    await server.kill();
    await Promise.all(inFlight);
    // Same state, a fresh port: the killed process may still hold the old one for a moment.
    server = await startDevServer({ persistDir });

    for (let i = 0; i < RUNS; i++) {
      const runId = await start(server.url, i);
      expect(runId, `start ${i} after restart`).toBeDefined();
      if (ids.has(i)) expect(runId, `idempotent start ${i}`).toBe(ids.get(i));
      ids.set(i, runId!);
    }
    const statuses = new Map<string, number>();
    const unfinished: string[] = [];
    for (const runId of ids.values()) {
      const run = (await (
        await fetch(`${server.url}/runs/${runId}?wait=20`, { signal: AbortSignal.timeout(30_000) })
      ).json()) as { status: string };
      statuses.set(run.status, (statuses.get(run.status) ?? 0) + 1);
      if (run.status !== "success") unfinished.push(`${runId} (${run.status})`);
      // One stuck run is a finding; waiting out every other one only hides it behind a timeout.
      if (unfinished.length >= 3) break;
    }
    expect(unfinished, "runs that did not finish").toEqual([]);
    expect(Object.fromEntries(statuses)).toEqual({ success: RUNS });
    expect(new Set(ids.values()).size).toBe(RUNS);
    const history = (await (await fetch(`${server.url}/runs?workflow=delayed-followup&limit=1000`)).json()) as {
      counts: Record<string, number>;
    };
    expect(history.counts.success).toBe(RUNS);
  }, 240_000);
});
