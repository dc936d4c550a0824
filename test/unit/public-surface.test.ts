// The package's public subpaths export what users need and nothing else: a new runtime export
// (a leaked internal helper, setter or registry) fails here until it is added on purpose.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import * as action from "cairn-workflows/action";
import * as agent from "cairn-workflows/agent";
import * as callSite from "cairn-workflows/call-site";
import * as client from "cairn-workflows/client";
import * as credentials from "cairn-workflows/credentials";
import * as email from "cairn-workflows/integrations/email";
import * as github from "cairn-workflows/integrations/github";
import * as http from "cairn-workflows/integrations/http";
import * as slack from "cairn-workflows/integrations/slack";
import * as testing from "cairn-workflows/testing";
import * as trigger from "cairn-workflows/trigger";
import * as vite from "cairn-workflows/vite";
import * as workflow from "cairn-workflows/workflow";
import packageJson from "../../package.json";

const errors = [
  "CairnError",
  "HookTimeoutError",
  "NonDeterminismError",
  "NonRetryableError",
  "StepTimeoutError",
  "UsageError",
  "ValidationError",
];

const allowed: Record<string, [Record<string, unknown>, string[]]> = {
  "cairn-workflows/workflow": [workflow, ["defineWorkflow", "durationSchema", "promptLlm", ...errors]],
  "cairn-workflows/action": [action, ["defineAction", "NonRetryableError"]],
  "cairn-workflows/agent": [agent, ["defineAgent"]],
  "cairn-workflows/trigger": [trigger, ["defineCronSource", "definePollSource", "defineWebhookSource"]],
  "cairn-workflows/credentials": [credentials, ["defineCredential"]],
  "cairn-workflows/call-site": [callSite, ["atCallSite"]],
  "cairn-workflows/vite": [vite, ["cairnCallSites"]],
  "cairn-workflows/testing": [
    testing,
    ["executeWorkflow", "MemoryEventLog", "parseRunExports", "replayHistory", "resumeHook"],
  ],
  "cairn-workflows/client": [client, ["CairnApiError", "CairnConnectionError", "createClient", "FINISHED_STATUSES"]],
  "cairn-workflows/integrations/slack": [
    slack,
    ["slackApprovalMessage", "slackCredential", "slackSendMessage", "slackUpdateMessage"],
  ],
  "cairn-workflows/integrations/github": [
    github,
    ["githubCommentOnIssue", "githubCreateIssue", "githubCredential", "githubGetPullRequest"],
  ],
  "cairn-workflows/integrations/email": [email, ["emailCredential", "sendEmail"]],
  "cairn-workflows/integrations/http": [http, ["DEFAULT_MAX_RESPONSE_BYTES", "httpRequest"]],
};

/** Subpaths this Node test cannot import: the Worker runtime needs workerd (`cloudflare:workers`). */
const checkedElsewhere = ["cairn-workflows/worker", "cairn-workflows/package.json"];

describe("the public subpaths", () => {
  it("each have an allow-list here, so a new subpath is reviewed too", () => {
    const subpaths = Object.keys(packageJson.exports).map((key) => `cairn-workflows${key.slice(1)}`);
    expect(subpaths.filter((subpath) => !checkedElsewhere.includes(subpath)).sort()).toEqual(
      Object.keys(allowed).sort(),
    );
  });

  for (const [subpath, [module, names]] of Object.entries(allowed)) {
    it(`${subpath} exports only its allow-list at run time`, () => {
      expect(Object.keys(module).sort()).toEqual([...names].sort());
    });
  }

  it("leave engine internals off the definitions they return", () => {
    const greeting = workflow.defineWorkflow({
      slug: "surface-greeting",
      input: z.object({}),
      output: z.object({}),
      run: async () => ({}),
    });
    const step = action.defineAction({
      slug: "surface-step",
      input: z.object({}),
      output: z.object({}),
      run: async () => ({}),
    });
    expect(Object.keys(greeting)).not.toContain("runFn");
    expect(Object.keys(step)).not.toContain("invoke");
  });
});
