import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

let server: DevServer;

beforeAll(async () => {
  server = await startDevServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("wrangler dev end to end", () => {
  it("runs greeting over HTTP and reads its output", async () => {
    const started = await fetch(`${server.url}/workflows/greeting`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Edsger" }),
    });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    const finished = await fetch(`${server.url}/workflows/greeting?wait=10`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": runId },
      body: JSON.stringify({ name: "Edsger" }),
    });
    const run = (await finished.json()) as { status: string; output: unknown };
    expect(run).toMatchObject({ status: "success", output: { message: "Hello, Edsger!" } });
    const record = (await (await fetch(`${server.url}/runs/${runId}`)).json()) as { status: string; output: unknown };
    expect(record).toMatchObject({ status: "success", output: { message: "Hello, Edsger!" } });
  });
});
