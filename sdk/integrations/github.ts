// `cairn-workflows/integrations/github`: create issues, comment on them and read pull requests
// through GitHub's REST API, as durable steps.
import { z } from "zod";
import { defineAction } from "../action.ts";
import { defineCredential } from "../credentials.ts";
import { fetchProvider, joinUrl, resolveBaseUrl } from "./shared.ts";

const DEFAULT_GITHUB_API_URL = "https://api.github.com";
/** The REST API version these actions are written against. */
const GITHUB_API_VERSION = "2022-11-28";

/**
 * The GitHub credential: a token (fine-grained, classic or an app installation's), per
 * subscription or from the Worker secret `GITHUB_TOKEN`; an optional `baseUrl` (else
 * `GITHUB_API_URL`) points the calls at GitHub Enterprise Server or a proxy.
 * @example
 * // a subscription's credentials: { "github": { "token": "github_pat_…" } }
 */
export const githubCredential = defineCredential({
  key: "github",
  fields: z.object({ token: z.string().min(1), baseUrl: z.string().url().optional() }),
});

const Repo = { owner: z.string().min(1), repo: z.string().min(1) };

/** One REST call with GitHub's headers; GitHub's `{ message }` becomes the error text. */
async function callGitHub(
  method: string,
  path: string,
  credentials: { token: string; baseUrl?: string },
  signal: AbortSignal,
  json?: unknown,
): Promise<unknown> {
  const { token, baseUrl } = credentials;
  const response = await fetchProvider({
    provider: "github",
    operation: `${method} ${path}`,
    method,
    url: joinUrl(resolveBaseUrl(baseUrl, "GITHUB_API_URL", DEFAULT_GITHUB_API_URL), path),
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${token}`,
      "x-github-api-version": GITHUB_API_VERSION,
    },
    json,
    signal,
    secrets: [token],
    describeError: (body) => (body as { message?: string } | null)?.message,
  });
  return response.json();
}

const segment = (value: string | number) => encodeURIComponent(String(value));

/**
 * Opens an issue (POST /repos/{owner}/{repo}/issues). Fields keep GitHub's names.
 * @example
 * const { number, html_url } = await githubCreateIssue.run({ owner: "acme", repo: "api", title: "Deploy failed" });
 */
export const githubCreateIssue = defineAction({
  slug: "github-create-issue",
  name: "GitHub: create an issue",
  input: z.object({
    ...Repo,
    title: z.string().min(1),
    body: z.string().optional(),
    labels: z.array(z.string()).optional(),
    assignees: z.array(z.string()).optional(),
  }),
  output: z.object({ id: z.number(), number: z.number(), html_url: z.string(), state: z.string() }),
  credentials: [githubCredential],
  run: async ({ owner, repo, ...issue }, credentials, { signal }) => {
    const created = (await callGitHub(
      "POST",
      `/repos/${segment(owner)}/${segment(repo)}/issues`,
      credentials.github,
      signal,
      issue,
    )) as { id: number; number: number; html_url: string; state: string };
    return { id: created.id, number: created.number, html_url: created.html_url, state: created.state };
  },
});

/**
 * Comments on an issue or a pull request (POST /repos/{owner}/{repo}/issues/{issue_number}/comments).
 * @example
 * await githubCommentOnIssue.run({ owner: "acme", repo: "api", issue_number: 42, body: "Fixed in v1.2" });
 */
export const githubCommentOnIssue = defineAction({
  slug: "github-comment-on-issue",
  name: "GitHub: comment on an issue",
  input: z.object({ ...Repo, issue_number: z.number().int().positive(), body: z.string().min(1) }),
  output: z.object({ id: z.number(), html_url: z.string() }),
  credentials: [githubCredential],
  run: async ({ owner, repo, issue_number, body }, credentials, { signal }) => {
    const path = `/repos/${segment(owner)}/${segment(repo)}/issues/${segment(issue_number)}/comments`;
    const comment = (await callGitHub("POST", path, credentials.github, signal, { body })) as {
      id: number;
      html_url: string;
    };
    return { id: comment.id, html_url: comment.html_url };
  },
});

const Ref = z.object({ ref: z.string(), sha: z.string() });

/**
 * Reads a pull request (GET /repos/{owner}/{repo}/pulls/{pull_number}): its state, branches and
 * whether it merged, keeping GitHub's field names.
 * @example
 * const pr = await githubGetPullRequest.run({ owner: "acme", repo: "api", pull_number: 7 });
 * if (pr.merged) await deploy.run({ sha: pr.head.sha });
 */
export const githubGetPullRequest = defineAction({
  slug: "github-get-pull-request",
  name: "GitHub: get a pull request",
  input: z.object({ ...Repo, pull_number: z.number().int().positive() }),
  output: z.object({
    number: z.number(),
    title: z.string(),
    body: z.string().nullable(),
    state: z.string(),
    draft: z.boolean(),
    merged: z.boolean(),
    mergeable: z.boolean().nullable(),
    html_url: z.string(),
    user: z.object({ login: z.string() }).nullable(),
    head: Ref,
    base: Ref,
  }),
  credentials: [githubCredential],
  run: async ({ owner, repo, pull_number }, credentials, { signal }) => {
    const path = `/repos/${segment(owner)}/${segment(repo)}/pulls/${segment(pull_number)}`;
    const pr = (await callGitHub("GET", path, credentials.github, signal)) as Record<string, unknown> & {
      user?: { login: string } | null;
      head: { ref: string; sha: string };
      base: { ref: string; sha: string };
    };
    // Only the fields above are recorded: a pull request object runs to many kilobytes.
    return {
      number: pr.number as number,
      title: pr.title as string,
      body: (pr.body as string | null) ?? null,
      state: pr.state as string,
      draft: Boolean(pr.draft),
      merged: Boolean(pr.merged),
      mergeable: (pr.mergeable as boolean | null | undefined) ?? null,
      html_url: pr.html_url as string,
      user: pr.user ? { login: pr.user.login } : null,
      head: { ref: pr.head.ref, sha: pr.head.sha },
      base: { ref: pr.base.ref, sha: pr.base.sha },
    };
  },
});
