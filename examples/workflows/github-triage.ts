// Opens a GitHub issue for a failed check on a pull request and links it from the pull request.
import { z } from "zod";
import { githubCommentOnIssue, githubCreateIssue, githubGetPullRequest } from "cairn-workflows/integrations/github";
import { defineWorkflow } from "cairn-workflows/workflow";

export default defineWorkflow({
  slug: "github-triage",
  name: "GitHub triage",
  description: "Files an issue for a failed check and comments on the pull request.",
  input: z.object({ owner: z.string(), repo: z.string(), pull_number: z.number().int(), check: z.string() }),
  output: z.object({ issue: z.number(), url: z.string() }),
  run: async ({ owner, repo, pull_number, check }) => {
    const pr = await githubGetPullRequest.run({ owner, repo, pull_number });
    const issue = await githubCreateIssue.run({
      owner,
      repo,
      title: `${check} fails on ${pr.head.ref}`,
      body: `Seen on #${pr.number} (${pr.head.sha}).`,
      labels: ["ci"],
    });
    await githubCommentOnIssue.run({ owner, repo, issue_number: pr.number, body: `Tracked in #${issue.number}.` });
    return { issue: issue.number, url: issue.html_url };
  },
});
