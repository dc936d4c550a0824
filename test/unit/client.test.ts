import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CairnApiError, CairnConnectionError, createClient } from "cairn-workflows/client";

const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
const seenHeaders: IncomingHttpHeaders[] = [];
let server: Server;
/** Answers by exact request URL; anything else gets a started run. */
const answers: Record<string, unknown> = {
  "/runs/run_1/events?after=0&limit=2": { events: [{ seq: 1 }, { seq: 2 }], next: 2 },
  "/runs/run_1/events?after=2&limit=2": { events: [{ seq: 3 }] },
  "/agents": { agents: [{ slug: "support", name: "Support", description: null }] },
  "/workflows": { workflows: [{ slug: "greeting", paused: true }] },
};
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
    seenHeaders.push(req.headers);
    res.setHeader("content-type", "application/json");
    if (req.url?.startsWith("/workflows/missing")) {
      res.statusCode = 404;
      return res.end(
        JSON.stringify({ error: { code: "workflow_not_found", message: "no workflow", known: ["greeting"] } }),
      );
    }
    if (req.url?.startsWith("/hooks/")) return res.end(JSON.stringify({ ok: true, runId: "run_1" }));
    if (req.url?.startsWith("/runs?")) return res.end(JSON.stringify({ runs: [], counts: {} }));
    const canned = answers[req.url ?? ""];
    if (canned) return res.end(JSON.stringify(canned));
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

  it("sends the headers option with every request, beside the call's own", async () => {
    const client = createClient({ url, headers: { "x-cairn-client": "cli" } });
    await client.workflows.run("greeting", { name: "Ada" }, { idempotencyKey: "k1" });
    expect(seenHeaders.at(-1)).toMatchObject({ "x-cairn-client": "cli", "idempotency-key": "k1" });
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

  it("pauses with a reason, resumes and reads the graph of a workflow", async () => {
    const client = createClient({ url });
    await client.workflows.pause("place order", { reason: "provider down" });
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/workflows/place%20order/pause" });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ reason: "provider down" });
    await client.workflows.resume("place-order");
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/workflows/place-order/resume" });
    await client.workflows.graph("place-order");
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/workflows/place-order/graph" });
    expect(await client.workflows.list()).toEqual([{ slug: "greeting", paused: true }]);
  });

  it("reads a run's events one page at a time, or every page with allEvents", async () => {
    const client = createClient({ url });
    expect(await client.runs.events("run_1", { after: 0, limit: 2 })).toEqual({
      events: [{ seq: 1 }, { seq: 2 }],
      next: 2,
    });
    const all: unknown[] = [];
    for await (const event of client.runs.allEvents("run_1", { pageSize: 2 })) all.push(event);
    expect(all).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
  });

  it("creates, lists, enables, disables and deletes subscriptions with the matching verbs", async () => {
    const client = createClient({ url });
    await client.subscriptions.create("weekly-report", { subscriber: "acme", metadata: { channel: "#ops" } });
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/workflows/weekly-report/subscriptions" });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ subscriber: "acme", metadata: { channel: "#ops" } });
    await client.subscriptions.list("weekly-report", { cursor: "sub_1", limit: 10 });
    expect(seen.at(-1)).toMatchObject({
      method: "GET",
      url: "/workflows/weekly-report/subscriptions?cursor=sub_1&limit=10",
    });
    await client.subscriptions.enable("weekly-report", "sub_1");
    expect(seen.at(-1)).toMatchObject({ method: "PATCH", url: "/workflows/weekly-report/subscriptions/sub_1" });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ enabled: true });
    await client.subscriptions.disable("weekly-report", "sub_1");
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ enabled: false });
    await client.subscriptions.delete("weekly-report", "sub_1");
    expect(seen.at(-1)).toMatchObject({ method: "DELETE", url: "/workflows/weekly-report/subscriptions/sub_1" });
  });

  it("lists agents, prompts one in a session and reads the session", async () => {
    const client = createClient({ url });
    expect(await client.agents.list()).toEqual([{ slug: "support", name: "Support", description: null }]);
    await client.agents.prompt("support", { message: "hi", sessionId: "s1" });
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/agents/support/prompt" });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ message: "hi", sessionId: "s1" });
    await client.agents.session("support", "s/1");
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/agents/support/sessions/s%2F1" });
  });

  it("reads a trigger's failed deliveries", async () => {
    await createClient({ url }).triggers.failures("github-issues");
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/triggers/github-issues/failures" });
  });
});
