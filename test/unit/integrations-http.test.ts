import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NonRetryableError } from "cairn-workflows/action";
import { httpRequest } from "cairn-workflows/integrations/http";
import { executeWorkflow, MemoryEventLog } from "cairn-workflows/testing";
import { httpCall } from "../fixtures/integration-fixtures.ts";
import { type FakeProviderServer, startFakeProviderServer } from "../support/fake-provider-server.ts";

let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeProviderServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

describe("http integration", () => {
  it("records the response's status, headers and parsed JSON body as the step output", async () => {
    server.queue({ status: 201, headers: { etag: '"v1"', "set-cookie": "sid=secret" }, body: { id: 5 } });
    const response = await httpRequest.run({ method: "POST", url: `${server.url}/orders`, json: { sku: "A-1" } });
    expect(response).toMatchObject({ status: 201, body: { id: 5 }, headers: { etag: '"v1"' } });
    expect(response.headers["set-cookie"]).toBeUndefined();
    expect(server.requests[0]).toMatchObject({ method: "POST", path: "/orders", body: '{"sku":"A-1"}' });
    expect(server.requests[0]?.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("sends a text body as given and records a text response as text", async () => {
    server.queue({ headers: { "content-type": "text/plain" }, body: "pong" });
    const response = await httpRequest.run({
      method: "POST",
      url: `${server.url}/ping`,
      headers: { "content-type": "text/plain" },
      body: "ping",
    });
    expect(response.body).toBe("pong");
    expect(server.requests[0]).toMatchObject({ body: "ping", headers: { "content-type": "text/plain" } });
  });

  it("retries a 503 with the step's backoff, no sooner than its Retry-After, and records the later success", async () => {
    server.queue({ status: 503, headers: { "retry-after": "45" }, body: "down for maintenance" });
    const log = new MemoryEventLog();
    const now = Date.now();
    const input = { url: `${server.url}/status` };
    const first = await executeWorkflow(httpCall, input, { eventLog: log, now });
    const retry = first.status === "suspended" ? first.items.find((item) => item.kind === "retry") : undefined;
    if (retry?.kind !== "retry") throw new Error(`expected a retry, got ${JSON.stringify(first)}`);
    expect(retry.wakeAt - now).toBeGreaterThanOrEqual(45_000);
    const second = await executeWorkflow(httpCall, input, { eventLog: log, now: retry.wakeAt });
    expect(second).toMatchObject({ status: "completed", output: { status: 200 } });
  });

  it("fails a 404 at once, unless the request accepts it as a response", async () => {
    server.queue({ status: 404, body: { error: "no such order" } });
    await expect(httpRequest.run({ url: `${server.url}/orders/9` })).rejects.toBeInstanceOf(NonRetryableError);
    server.queue({ status: 404, body: { error: "no such order" } });
    const accepted = await httpRequest.run({ url: `${server.url}/orders/9`, accept: [404] });
    expect(accepted).toMatchObject({ status: 404, body: { error: "no such order" } });
  });

  it("retries only the statuses in retryOn when given", async () => {
    server.queue({ status: 409, body: "busy" });
    const log = new MemoryEventLog();
    const result = await executeWorkflow(httpCall, { url: `${server.url}/x` }, { eventLog: log });
    expect(result.status).toBe("failed");
    server.queue({ status: 503, body: "down" });
    const custom = httpRequest.run({ url: `${server.url}/x`, retryOn: [409] });
    await expect(custom).rejects.toBeInstanceOf(NonRetryableError);
    server.queue({ status: 409, body: "busy" });
    await expect(httpRequest.run({ url: `${server.url}/x`, retryOn: [409] })).rejects.toMatchObject({
      code: "provider_unavailable",
    });
  });

  it("fails a response larger than maxResponseBytes instead of recording it", async () => {
    server.queue({ headers: { "content-type": "text/plain" }, body: "x".repeat(5_000) });
    const failure = httpRequest.run({ url: `${server.url}/big`, maxResponseBytes: 1_000 });
    await expect(failure).rejects.toBeInstanceOf(NonRetryableError);
    await expect(failure).rejects.toMatchObject({ message: expect.stringContaining("maxResponseBytes") });
  });

  it("counts a request that outlives timeoutMs as a retryable failure", async () => {
    server.hang(1);
    await expect(httpRequest.run({ url: `${server.url}/slow`, timeoutMs: 50 })).rejects.toMatchObject({
      code: "provider_unavailable",
    });
  });

  it("keeps secret header and query values out of its errors", async () => {
    server.queue({ status: 400, body: "bad key sk_live_abcdef123 for token qtok_98765" });
    const failure = httpRequest.run({
      url: `${server.url}/charge?api_key=qtok_98765&page=2`,
      headers: { authorization: "Bearer sk_live_abcdef123" },
    });
    await expect(failure).rejects.toBeInstanceOf(NonRetryableError);
    const error = (await failure.catch((caught: Error) => caught)) as Error;
    expect(error.message).not.toContain("sk_live_abcdef123");
    expect(error.message).not.toContain("qtok_98765");
    expect(error.message).toContain("/charge");
  });
});
