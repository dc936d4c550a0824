import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NonRetryableError } from "cairn-workflows/action";
import { sendEmail } from "cairn-workflows/integrations/email";
import { githubCreateIssue, githubGetPullRequest } from "cairn-workflows/integrations/github";
import { executeWorkflow, MemoryEventLog } from "cairn-workflows/testing";
import { emailSend, githubIssue } from "../fixtures/integration-fixtures.ts";
import { type FakeProviderServer, startFakeProviderServer } from "../support/fake-provider-server.ts";

const GITHUB_TOKEN = "github_pat_11AAAA_secretsecretsecret";
const RESEND_KEY = "re_123456789_secretsecret";
let server: FakeProviderServer;

beforeAll(async () => {
  server = await startFakeProviderServer();
  Object.assign(process.env, {
    GITHUB_TOKEN,
    GITHUB_API_URL: `${server.url}/github`,
    EMAIL_API_KEY: RESEND_KEY,
    RESEND_API_URL: `${server.url}/resend`,
  });
});
afterAll(async () => {
  for (const name of ["GITHUB_TOKEN", "GITHUB_API_URL", "EMAIL_API_KEY", "RESEND_API_URL"]) delete process.env[name];
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
});

describe("github integration", () => {
  it("creates an issue and comments on it with GitHub's auth, media type and API version headers", async () => {
    const result = await executeWorkflow(githubIssue, { owner: "acme", repo: "api", title: "Deploy failed" });
    expect(result).toEqual({ status: "completed", output: { number: 42, commentId: 7001 } });
    const [create, comment] = server.requests;
    expect(create).toMatchObject({ method: "POST", path: "/github/repos/acme/api/issues" });
    expect(create?.headers).toMatchObject({
      authorization: `Bearer ${GITHUB_TOKEN}`,
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      "user-agent": "cairn-workflows",
    });
    expect(JSON.parse(create?.body ?? "")).toEqual({ title: "Deploy failed", body: "Opened by a workflow" });
    expect(comment).toMatchObject({ method: "POST", path: "/github/repos/acme/api/issues/42/comments" });
    expect(JSON.parse(comment?.body ?? "")).toEqual({ body: "On it" });
  });

  it("reads a pull request and records only the documented fields", async () => {
    const pr = await githubGetPullRequest.run({ owner: "acme", repo: "api", pull_number: 7 });
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/github/repos/acme/api/pulls/7", body: "" });
    expect(pr).toEqual({
      number: 7,
      title: "Add retries",
      body: null,
      state: "closed",
      draft: false,
      merged: true,
      mergeable: null,
      html_url: "https://github.com/acme/api/pull/7",
      user: { login: "ada" },
      head: { ref: "retries", sha: "abc123" },
      base: { ref: "main", sha: "def456" },
    });
  });

  it("fails a 404 at once with GitHub's message as a NonRetryableError", async () => {
    const failure = githubCreateIssue.run({ owner: "acme", repo: "missing", title: "x" });
    await expect(failure).rejects.toBeInstanceOf(NonRetryableError);
    await expect(failure).rejects.toMatchObject({
      message: expect.stringContaining("404 Not Found"),
      details: { provider: "github", status: 404 },
    });
  });

  it("treats a 403 with x-ratelimit-remaining 0 as rate limited, waiting until x-ratelimit-reset", async () => {
    const now = Date.now();
    const resetAt = Math.ceil(now / 1000) + 120;
    server.queue({
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(resetAt) },
      body: { message: "API rate limit exceeded", documentation_url: "https://docs.github.com/rest" },
    });
    const log = new MemoryEventLog();
    const result = await executeWorkflow(
      githubIssue,
      { owner: "acme", repo: "api", title: "t" },
      { eventLog: log, now },
    );
    expect(result.status).toBe("suspended");
    const retrying = log.events.find((event) => event.type === "step_retrying");
    expect(retrying).toMatchObject({ error: { code: "provider_rate_limited" } });
    expect(retrying?.type === "step_retrying" ? retrying.retryAt : 0).toBeGreaterThanOrEqual(resetAt * 1000 - 1000);
  });
});

describe("email integration", () => {
  it("sends through Resend's POST /emails with the API key as a Bearer header, text and HTML, and an idempotency key", async () => {
    const result = await executeWorkflow(emailSend, { to: "ada@example.com", idempotencyKey: "welcome/ada" });
    expect(result).toEqual({ status: "completed", output: { id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" } });
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", path: "/resend/emails" });
    expect(request?.headers).toMatchObject({ authorization: `Bearer ${RESEND_KEY}`, "idempotency-key": "welcome/ada" });
    expect(JSON.parse(request?.body ?? "")).toEqual({
      from: "Acme <ops@acme.dev>",
      to: "ada@example.com",
      subject: "Hello",
      text: "Hi",
      html: "<p>Hi</p>",
    });
  });

  it("fails a 422 validation_error at once, and retries a 500", async () => {
    server.queue({ status: 422, body: { statusCode: 422, name: "validation_error", message: "Invalid `to` field." } });
    const rejected = sendEmail.run({ from: "a@acme.dev", to: "nobody", subject: "s", text: "t" });
    await expect(rejected).rejects.toBeInstanceOf(NonRetryableError);
    await expect(rejected).rejects.toMatchObject({
      message: expect.stringContaining("validation_error: Invalid `to` field."),
    });

    server.queue({ status: 500, body: { statusCode: 500, name: "application_error", message: "Unexpected error" } });
    const log = new MemoryEventLog();
    const result = await executeWorkflow(emailSend, { to: "ada@example.com" }, { eventLog: log });
    expect(result.status).toBe("suspended");
    expect(log.events.find((event) => event.type === "step_retrying")).toMatchObject({
      error: { code: "provider_unavailable" },
    });
  });

  it("keeps the API key out of errors and the log", async () => {
    server.queue({
      status: 403,
      body: { statusCode: 403, name: "invalid_api_key", message: `key ${RESEND_KEY} is invalid` },
    });
    const log = new MemoryEventLog();
    const result = await executeWorkflow(emailSend, { to: "ada@example.com" }, { eventLog: log });
    expect(result.status).toBe("failed");
    expect(JSON.stringify(log.events)).not.toContain(RESEND_KEY);
    expect(JSON.stringify(log.events)).toContain("[redacted]");
  });
});
