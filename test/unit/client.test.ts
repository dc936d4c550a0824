import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CairnApiError, CairnConnectionError, createClient } from "cairn-workflows/client";

const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
let server: Server;
let url: string;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => resolve(text));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body: await body(req) });
    res.setHeader("content-type", "application/json");
    if (req.url?.startsWith("/workflows/missing")) {
      res.statusCode = 404;
      return res.end(
        JSON.stringify({ error: { code: "workflow_not_found", message: "no workflow", known: ["greeting"] } }),
      );
    }
    if (req.url?.startsWith("/hooks/")) return res.end(JSON.stringify({ ok: true, runId: "run_1" }));
    if (req.url?.startsWith("/runs?")) return res.end(JSON.stringify({ runs: [], counts: {} }));
    res.end(JSON.stringify({ runId: "run_1", status: "queued" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("cairn-workflows/client", () => {
  it("sends the API key, JSON input, the idempotency key and ?wait", async () => {
    const client = createClient({ url, apiKey: "k" });
    await client.workflows.run("greeting", { name: "Ada" }, { idempotencyKey: "abc", wait: 5 });
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: "POST", url: "/workflows/greeting?wait=5", auth: "Bearer k" });
    expect(JSON.parse(last.body)).toEqual({ name: "Ada" });
  });

  it("turns error bodies into CairnApiError with status, code and details", async () => {
    const client = createClient({ url });
    const error = await client.workflows.run("missing", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CairnApiError);
    expect(error).toMatchObject({ status: 404, code: "workflow_not_found", details: { known: ["greeting"] } });
  });

  it("resumes a hook given a bare token or a full resume URL", async () => {
    const client = createClient({ url });
    await client.hooks.resume("tok123", { approved: true });
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/hooks/tok123" });
    await client.hooks.resume(`${url}/hooks/other-token`, {});
    expect(seen.at(-1)).toMatchObject({ url: "/hooks/other-token" });
  });

  it("builds list queries from the filters given", async () => {
    await createClient({ url }).runs.list({ workflow: "greeting", status: "failed", limit: 5 });
    expect(seen.at(-1)?.url).toBe("/runs?workflow=greeting&status=failed&limit=5");
  });

  it("reports a dead server as CairnConnectionError with what to do", async () => {
    const error = await createClient({ url: "http://127.0.0.1:1" })
      .workflows.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CairnConnectionError);
    expect((error as Error).message).toContain("cairn dev");
  });
});
