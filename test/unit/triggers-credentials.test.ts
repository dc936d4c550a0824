import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCredential } from "cairn-workflows/credentials";
import {
  type CredentialResolver,
  resolveCredentials,
  secretName,
  setCredentialResolver,
} from "../../sdk/credential-resolver.ts";

const slack = defineCredential({ key: "slack", fields: z.object({ token: z.string(), team: z.string().optional() }) });
const github = defineCredential({ key: "github-app", fields: z.object({ private_key: z.string() }) });
const run = { runId: "run_1", workflow: "w", trigger: "cron" as const, triggeredAt: 0 };

const use = (resolver: CredentialResolver) => setCredentialResolver(resolver);

describe("credentials outside a Worker", () => {
  // Runs before any test below swaps the resolver (tests in a file run in order).
  it("reads environment variables by default", async () => {
    process.env.SLACK_TOKEN = "from-env";
    try {
      expect(await resolveCredentials([slack], undefined)).toEqual({ slack: { token: "from-env" } });
    } finally {
      delete process.env.SLACK_TOKEN;
    }
  });
});

describe("credentials", () => {
  it("names each field's Worker secret <KEY>_<FIELD> in upper case", () => {
    expect(secretName("slack", "token")).toBe("SLACK_TOKEN");
    expect(secretName("github-app", "private_key")).toBe("GITHUB_APP_PRIVATE_KEY");
    expect(secretName("email", "apiKey")).toBe("EMAIL_API_KEY");
    expect(secretName("slack", "baseUrl")).toBe("SLACK_BASE_URL");
  });

  it("refuses a key that could not name a secret", () => {
    expect(() => defineCredential({ key: "Slack Bot", fields: z.object({}) })).toThrow(/lowercase/);
  });

  it("hands the resolver the run, so a subscription's values can win", async () => {
    const seen: unknown[] = [];
    use(async (credential, info) => {
      seen.push([credential.key, info?.subscription?.id]);
      return { token: info?.subscription ? "sub-token" : "worker-token" };
    });
    const subscribed = { ...run, subscription: { id: "sub_1", subscriber: "ada" } };
    expect(await resolveCredentials([slack], subscribed)).toEqual({ slack: { token: "sub-token" } });
    expect(await resolveCredentials([slack], run)).toEqual({ slack: { token: "worker-token" } });
    expect(seen).toEqual([
      ["slack", "sub_1"],
      ["slack", undefined],
    ]);
  });

  it("fails with missing_credential naming every secret to set when no source has the value", async () => {
    use(async () => undefined);
    await expect(resolveCredentials([github], run)).rejects.toMatchObject({
      code: "missing_credential",
      message: expect.stringContaining("GITHUB_APP_PRIVATE_KEY"),
    });
  });

  it("treats a value missing a required field as missing, without echoing the values it did get", async () => {
    use(async () => ({ team: "T-secret-team" }));
    const failure = resolveCredentials([slack], run);
    await expect(failure).rejects.toMatchObject({ code: "missing_credential" });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining("T-secret-team") });
  });
});
