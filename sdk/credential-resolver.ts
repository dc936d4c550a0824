// Where credential values come from at step time: a resolver the runtime installs (subscription
// vault, then Worker secrets) or, outside a Worker, environment variables. Internal: not a package
// subpath, so user code cannot replace the resolver.
import { CairnError } from "./errors.ts";
import type { CredentialDefinition } from "./credentials.ts";
import type { RunInfo } from "./engine/scope.ts";

/**
 * The Worker secret holding one field, in the environment's own spelling: `slack` + `token` →
 * `SLACK_TOKEN`, `email` + `apiKey` → `EMAIL_API_KEY` (a camelCase boundary becomes `_`).
 */
export function secretName(key: string, field: string): string {
  return `${key}_${field}`
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^a-zA-Z0-9]/g, "_")
    .toUpperCase();
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

/** Installs the isolate's resolver (the Worker runtime does, in src/agents-runtime/wiring.ts). */
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
