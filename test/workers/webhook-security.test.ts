// Webhook security through the real Worker (issue 18): replays of signed deliveries start no
// new run, sources without auth are refused off loopback, API idempotency keys cannot claim a
// delivery's run, and a transform's bad output is a coded 422 that starts nothing.
import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { runIdForKey } from "../../src/run/ids.ts";
import { hmacHex } from "../../src/triggers-engine/signature.ts";
import { request, startRun, waitForStatus } from "./helpers.ts";

// Whichever test runs first pays for the Worker's first request (its objects' cold start), which
// takes several seconds on a loaded machine; the assertions do not depend on time.
vi.setConfig({ testTimeout: 30_000 });

type Delivered = { runIds: string[] };
type Refused = { error: { code: string; message: string; issues?: unknown[]; failures?: unknown[] } };

async function runsFrom(source: string): Promise<string[]> {
  const listed = (await (await request("/runs?workflow=fixture-echo&limit=1000")).json()) as {
    runs: { runId: string; trigger: { source?: string } }[];
  };
  return listed.runs.filter((r) => r.trigger.source === source).map((r) => r.runId);
}

describe("replayed signed deliveries", () => {
  const githubStyle = async (body: string, deliveryId?: string) =>
    request("/triggers/sec-github-style", {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-hub-signature-256": `sha256=${await hmacHex("whsec-test", body)}`,
        ...(deliveryId ? { "x-github-delivery": deliveryId } : {}),
      },
    });

  it("starts no new run for a body-signed delivery sent again with a new or no delivery id", async () => {
    const body = JSON.stringify({ n: 1, nonce: crypto.randomUUID() });
    const first = await githubStyle(body, crypto.randomUUID());
    expect(first.status).toBe(202);
    const { runIds } = (await first.json()) as Delivered;
    expect(runIds).toHaveLength(1);
    for (const replayId of [crypto.randomUUID(), undefined]) {
      const replay = await githubStyle(body, replayId);
      expect(replay.status).toBe(202);
      expect(((await replay.json()) as Delivered).runIds).toEqual(runIds);
    }
    expect((await waitForStatus(runIds[0]!, ["success"])).output).toEqual({ kind: "github-style", n: 1 });
  });

  it("starts no new run for a timestamp-signed delivery replayed inside its window, and one for a newly signed one", async () => {
    const body = JSON.stringify({ nonce: crypto.randomUUID() });
    const send = async (timestamp: number) =>
      request("/triggers/fixture-signed", {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-signature": `sha256=${await hmacHex("whsec-test", `${timestamp}.${body}`)}`,
          "x-timestamp": String(timestamp),
          "x-delivery-id": crypto.randomUUID(),
        },
      });
    const now = Math.floor(Date.now() / 1000);
    const first = (await (await send(now)).json()) as Delivered;
    const replay = (await (await send(now)).json()) as Delivered;
    expect(first.runIds).toHaveLength(1);
    expect(replay.runIds).toEqual(first.runIds);
    // The provider signing the same body again, at another time, is another delivery.
    const resigned = (await (await send(now - 1)).json()) as Delivered;
    expect(resigned.runIds).toHaveLength(1);
    expect(resigned.runIds).not.toEqual(first.runIds);
  });
});

describe("webhook sources without auth", () => {
  it("refuses a source without auth on a public host with 403 webhook_auth_required, starting nothing", async () => {
    const before = await runsFrom("sec-open");
    const response = await request("/triggers/sec-open", { json: {} });
    expect(response.status).toBe(403);
    const { error } = (await response.json()) as Refused;
    expect(error.code).toBe("webhook_auth_required");
    expect(error.message).toContain("public: true");
    expect(await runsFrom("sec-open")).toEqual(before);
  });

  it("takes deliveries to a source without auth in local development (a loopback host)", async () => {
    const worker = (exports as unknown as { default: Fetcher }).default;
    for (const host of ["localhost:8787", "127.0.0.1:8787", "[::1]:8787"]) {
      const response = await worker.fetch(`http://${host}/triggers/sec-open`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status, host).toBe(202);
      expect(((await response.json()) as Delivered).runIds, host).toHaveLength(1);
    }
  });

  it("takes deliveries to a source marked public on any host", async () => {
    const response = await request("/triggers/fixture-events", { json: { type: "b" } });
    expect(response.status).toBe(202);
    expect(((await response.json()) as Delivered).runIds).toHaveLength(1);
  });
});

describe("idempotency namespaces", () => {
  it("gives an API Idempotency-Key equal to a future delivery's key its own run, not the delivery's", async () => {
    const deliveryId = crypto.randomUUID();
    const deliveryKey = `webhook:fixture-event-a:fixture-echo:${deliveryId}`;
    const apiRun = await startRun("fixture-echo", { kind: "planted" }, { "idempotency-key": deliveryKey });
    // API keys keep the run ids they had before the namespaces were split (decision 0013).
    expect(apiRun).toBe(await runIdForKey("fixture-echo", deliveryKey));

    const delivered = await request("/triggers/fixture-events", {
      json: { type: "a", n: 3 },
      headers: { "x-delivery-id": deliveryId },
    });
    expect(delivered.status).toBe(202);
    const { runIds } = (await delivered.json()) as Delivered;
    expect(runIds).toHaveLength(1);
    expect(runIds[0]).not.toBe(apiRun);
    expect((await waitForStatus(runIds[0]!, ["success"])).output).toEqual({ kind: "A:a", n: 3 });
    expect((await waitForStatus(apiRun, ["success"])).output).toEqual({ kind: "planted", n: 0 });
  });
});

describe("transform output the workflow refuses", () => {
  it("answers 422 invalid_trigger_payload with the issues, starts nothing, and records the failure", async () => {
    const before = await runsFrom("sec-loose-transform");
    const response = await request("/triggers/sec-loose-transform?token=whsec-test", { json: {} });
    expect(response.status).toBe(422);
    const { error } = (await response.json()) as Refused;
    expect(error.code).toBe("invalid_trigger_payload");
    expect(error.issues).toEqual([expect.objectContaining({ path: ["kind"] })]);
    expect(error.failures).toEqual([
      expect.objectContaining({ attachment: "sec-loose-transform:fixture-echo", message: expect.any(String) }),
    ]);
    expect(await runsFrom("sec-loose-transform")).toEqual(before);

    const failures = (await (await request("/triggers/sec-loose-transform/failures")).json()) as {
      failures: { reason: string; detail?: unknown }[];
    };
    expect(failures.failures[0]).toMatchObject({
      reason: "input does not match workflow fixture-echo",
      detail: [expect.objectContaining({ path: ["kind"] })],
    });

    const fine = await request("/triggers/sec-loose-transform?token=whsec-test", { json: { kind: "ok" } });
    expect(fine.status).toBe(202);
  });
});
