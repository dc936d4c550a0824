// Type tests of credentials: an action's `run` sees exactly the credentials it declares, typed by
// their fields; the defineCredential JSDoc example compiles as written.
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { type CredentialValues, defineCredential } from "cairn-workflows/credentials";

declare function send(token: string, text: string): Promise<boolean>;

describe("the defineCredential JSDoc example", () => {
  it("compiles as written", () => {
    const slack = defineCredential({ key: "slack", fields: z.object({ token: z.string() }) });
    const post = defineAction({
      slug: "post-to-slack",
      input: z.object({ text: z.string() }),
      output: z.object({ ok: z.boolean() }),
      credentials: [slack],
      run: async ({ text }, creds) => ({ ok: await send(creds.slack.token, text) }),
    });
    expectTypeOf(post.run).parameter(0).toEqualTypeOf<{ text: string }>();
  });
});

describe("credentials in an action", () => {
  const slack = defineCredential({
    key: "slack",
    fields: z.object({ token: z.string(), team: z.string().optional() }),
  });
  const github = defineCredential({ key: "github-app", fields: z.object({ private_key: z.string() }) });

  it("types each declared credential's fields", () => {
    defineAction({
      slug: "both",
      input: z.object({}),
      output: z.object({}),
      credentials: [slack, github],
      run: async (_input, creds) => {
        expectTypeOf(creds.slack.token).toEqualTypeOf<string>();
        expectTypeOf(creds.slack.team).toEqualTypeOf<string | undefined>();
        expectTypeOf(creds["github-app"].private_key).toEqualTypeOf<string>();
        return {};
      },
    });
  });

  it("refuses a credential the action did not declare", () => {
    defineAction({
      slug: "slack-only",
      input: z.object({}),
      output: z.object({}),
      credentials: [slack],
      run: async (_input, creds) => {
        // @ts-expect-error github was not declared
        void creds.github;
        // @ts-expect-error slack has no password field
        void creds.slack.password;
        return {};
      },
    });
    defineAction({
      slug: "none",
      input: z.object({}),
      output: z.object({}),
      run: async (_input, creds) => {
        expectTypeOf(creds).toEqualTypeOf<CredentialValues<readonly []>>();
        // @ts-expect-error nothing was declared
        void creds.slack;
        return {};
      },
    });
  });

  it("keeps the key's literal type", () => {
    expectTypeOf(slack.key).toEqualTypeOf<"slack">();
  });
});
