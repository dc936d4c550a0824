// `cairn-workflows/credentials`: secrets declared on actions and resolved at step time: the run's
// subscriber-scoped value first, else the Worker's own secret. Resolved values are passed to the
// action and never written to the event log (resolution lives in credential-resolver.ts).
import type { z } from "zod";
import { CairnError } from "./errors.ts";

/** A declared credential; `K` keeps the key's literal type so `creds.<key>` is typed in an action. */
export interface CredentialDefinition<F extends z.ZodObject = z.ZodObject, K extends string = string> {
  readonly kind: "credential";
  /** Vault key; also names the Worker secrets: key `slack`, field `token` → `SLACK_TOKEN`. */
  readonly key: K;
  readonly fields: F;
}

/**
 * The resolved values an action with `credentials: C` receives: one entry per declared key,
 * holding that credential's parsed fields. An undeclared key is not there.
 * @example type Slack = CredentialValues<[typeof slack]>; // { readonly slack: { token: string } }
 */
export type CredentialValues<C extends readonly CredentialDefinition[]> = {
  readonly [D in C[number] as D["key"]]: z.output<D["fields"]>;
};

/**
 * Declares a credential an action needs.
 * @example
 * export const slack = defineCredential({ key: "slack", fields: z.object({ token: z.string() }) });
 * export const post = defineAction({
 *   slug: "post-to-slack",
 *   input: z.object({ text: z.string() }),
 *   output: z.object({ ok: z.boolean() }),
 *   credentials: [slack],
 *   run: async ({ text }, creds) => ({ ok: await send(creds.slack.token, text) }),
 * });
 */
export function defineCredential<const K extends string, F extends z.ZodObject>(options: {
  key: K;
  fields: F;
}): CredentialDefinition<F, K> {
  if (!/^[a-z][a-z0-9_-]*$/.test(options.key))
    throw new CairnError("usage_error", `credential key "${options.key}" must be lowercase`);
  return { kind: "credential", key: options.key, fields: options.fields };
}
