// `cairn/credentials`: secrets declared on actions and resolved at step time: the run's
// subscriber-scoped value first, else the Worker's own secret. Resolved values are passed to the
// action and never written to the event log.
import type { z } from "zod";
import { CairnError } from "./errors.ts";
import type { RunInfo } from "./engine/scope.ts";

export interface CredentialDefinition<F extends z.ZodObject = z.ZodObject> {
  readonly kind: "credential";
  /** Vault key; also names the Worker secrets: key `slack`, field `token` → `SLACK_TOKEN`. */
  readonly key: string;
  readonly fields: F;
}

/**
 * Declares a credential an action needs.
 * @example
 * export const slack = defineCredential({ key: "slack", fields: z.object({ token: z.string() }) });
 * export const post = defineAction({ ..., credentials: [slack], run: async (input, creds) => send(creds.slack.token) });
 */
export function defineCredential<F extends z.ZodObject>(options: { key: string; fields: F }): CredentialDefinition<F> {
  if (!/^[a-z][a-z0-9_-]*$/.test(options.key))
    throw new CairnError("usage_error", `credential key "${options.key}" must be lowercase`);
  return { kind: "credential", key: options.key, fields: options.fields };
}

/** The Worker secret holding one field: `slack` + `token` → `SLACK_TOKEN`. */
export function secretName(key: string, field: string): string {
  return `${key}_${field}`.replace(/[^a-zA-Z0-9]/g, "_").toUpperCase();
}

export type CredentialResolver = (
  credential: CredentialDefinition,
  run: RunInfo | undefined,
) => Promise<Record<string, unknown> | undefined>;

/** Default outside a Worker (tests, scripts): environment variables named by `secretName`. */
let resolver: CredentialResolver = async (credential) => {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
  const values: Record<string, unknown> = {};
  for (const field of Object.keys(credential.fields.shape)) {
    const value = env[secretName(credential.key, field)];
    if (value !== undefined) values[field] = value;
  }
  return Object.keys(values).length ? values : undefined;
};

export function setCredentialResolver(next: CredentialResolver): void {
  resolver = next;
}

/** Resolves and validates every credential an action declares; missing ones fail clearly. */
export async function resolveCredentials(
  credentials: readonly CredentialDefinition[],
  run: RunInfo | undefined,
): Promise<Record<string, Record<string, unknown>>> {
  const resolved: Record<string, Record<string, unknown>> = {};
  for (const credential of credentials) {
    const values = await resolver(credential, run);
    const parsed = credential.fields.safeParse(values ?? {});
    if (!values || !parsed.success) {
      const names = Object.keys(credential.fields.shape).map((field) => secretName(credential.key, field));
      throw new CairnError(
        "missing_credential",
        `credential "${credential.key}" is not set: give the subscription a value for it, or set the ${names.join(", ")} secret (wrangler secret put, or .dev.vars locally)`,
      );
    }
    resolved[credential.key] = parsed.data as Record<string, unknown>;
  }
  return resolved;
}
