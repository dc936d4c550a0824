// Fake Slack, GitHub and Resend that speak the providers' documented wire shapes (auth headers,
// JSON fields, error bodies, rate-limit answers), as one pure request → reply function shared by
// the unit tests' node:http server and the workers fixture's in-Worker handler. Routes:
// `/slack/api/<method>`, `/github/...`, `/resend/emails`; anything else is a plain echo endpoint.

export interface FakeRequest {
  method: string;
  /** Path and query, e.g. `/slack/api/chat.postMessage`. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: string;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON, or a string sent as is. */
  body?: unknown;
}

export interface FakeProviders {
  requests: FakeRequest[];
  /** Replies given before the fake's own behaviour, first in first out (429s, outages, echoes). */
  queue(...replies: FakeReply[]): void;
  handle(request: FakeRequest): FakeReply;
}

const GITHUB_DOCS = "https://docs.github.com/rest";

function json(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function slack(method: string, request: FakeRequest): FakeReply {
  const auth = request.headers.authorization ?? "";
  if (!auth) return { body: { ok: false, error: "not_authed" } };
  if (!/^Bearer xox[bp]-/.test(auth)) return { body: { ok: false, error: "invalid_auth" } };
  const body = json(request.body);
  if (!request.headers["content-type"]?.startsWith("application/json") || !body)
    return { body: { ok: false, error: "invalid_arguments" } };
  if (method !== "chat.postMessage" && method !== "chat.update")
    return { body: { ok: false, error: "unknown_method" } };
  const channel = String(body.channel ?? "");
  if (!channel || channel.startsWith("#missing")) return { body: { ok: false, error: "channel_not_found" } };
  if (body.text === undefined && body.blocks === undefined) return { body: { ok: false, error: "no_text" } };
  const ts =
    method === "chat.update" ? String(body.ts) : `1700000000.${String(Date.now() % 1_000_000).padStart(6, "0")}`;
  return { body: { ok: true, channel: "C0123ABCD", ts, message: { type: "message", text: body.text ?? "", ts } } };
}

function github(path: string, request: FakeRequest): FakeReply {
  const fail = (status: number, message: string) => ({ status, body: { message, documentation_url: GITHUB_DOCS } });
  if (!request.headers.authorization?.startsWith("Bearer ")) return fail(401, "Requires authentication");
  if (!request.headers["user-agent"]) return fail(403, "Request forbidden by administrative rules.");
  const match = /^\/repos\/([^/]+)\/([^/]+)\/(issues|pulls)(?:\/(\d+))?(\/comments)?$/.exec(path);
  if (!match || match[2] === "missing") return fail(404, "Not Found");
  const [, owner, repo, kind, number, comments] = match;
  const repoUrl = `https://github.com/${owner}/${repo}`;
  const body = json(request.body) ?? {};
  if (kind === "issues" && !number && request.method === "POST") {
    if (!body.title) return fail(422, "Validation Failed");
    return {
      status: 201,
      body: { id: 9001, number: 42, html_url: `${repoUrl}/issues/42`, state: "open", title: body.title, labels: [] },
    };
  }
  if (kind === "issues" && comments && request.method === "POST")
    return {
      status: 201,
      body: { id: 7001, html_url: `${repoUrl}/issues/${number}#issuecomment-7001`, body: body.body },
    };
  if (kind === "pulls" && number && request.method === "GET")
    return {
      body: {
        number: Number(number),
        title: "Add retries",
        body: null,
        state: "closed",
        draft: false,
        merged: true,
        mergeable: null,
        html_url: `${repoUrl}/pull/${number}`,
        user: { login: "ada", id: 1 },
        head: { ref: "retries", sha: "abc123", repo: { full_name: `${owner}/${repo}` } },
        base: { ref: "main", sha: "def456", repo: { full_name: `${owner}/${repo}` } },
        diff_url: `${repoUrl}/pull/${number}.diff`,
      },
    };
  return fail(404, "Not Found");
}

function resend(request: FakeRequest): FakeReply {
  const fail = (status: number, name: string, message: string) => ({
    status,
    body: { statusCode: status, name, message },
  });
  const auth = request.headers.authorization;
  if (!auth) return fail(401, "missing_api_key", "Missing API key in the authorization header");
  if (!auth.startsWith("Bearer re_")) return fail(403, "invalid_api_key", "API key is invalid");
  const body = json(request.body) ?? {};
  if (!body.from || !body.to || body.subject === undefined)
    return fail(422, "validation_error", "The `from`, `to` and `subject` fields are required.");
  return { body: { id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" } };
}

/** A fresh set of fakes with an empty request log. */
export function createFakeProviders(): FakeProviders {
  const requests: FakeRequest[] = [];
  const queued: FakeReply[] = [];
  return {
    requests,
    queue: (...replies) => queued.push(...replies),
    handle(request) {
      requests.push(request);
      const next = queued.shift();
      if (next) return next;
      const path = request.path.split("?")[0] ?? "";
      if (path.startsWith("/slack/api/")) return slack(path.slice("/slack/api/".length), request);
      if (path.startsWith("/github/")) return github(path.slice("/github".length), request);
      if (path === "/resend/emails" && request.method === "POST") return resend(request);
      return { body: { method: request.method, path: request.path, body: request.body } };
    },
  };
}

/** A reply as a fetch Response (the workers fixture's handler). */
export function toResponse(reply: FakeReply): Response {
  const headers = new Headers(reply.headers);
  const isText = typeof reply.body === "string";
  if (!headers.has("content-type")) headers.set("content-type", isText ? "text/plain" : "application/json");
  return new Response(isText ? (reply.body as string) : JSON.stringify(reply.body ?? {}), {
    status: reply.status ?? 200,
    headers,
  });
}
