// Provider failures with stable codes: 429 and 5xx are retried with the step's backoff (and
// `Retry-After`); other 4xx fail the step at once with the provider's message.
import { parseRetryAfter } from "../../sdk/http-util.ts";

export type ProviderErrorCode =
  | "provider_rate_limited"
  | "provider_unavailable"
  | "provider_bad_response"
  | "missing_secret"
  | "non_retryable";

// Key-shaped substrings: vendor prefixes, bearer credentials, and long opaque runs (checked below).
const KEY_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\bxox[abpr]-[A-Za-z0-9-]{8,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{16,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{16,}/g,
  /\bre_[A-Za-z0-9_]{16,}/g,
];
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const LONG_RUN = /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_=-]{32,}(?![A-Za-z0-9+/_=-])/g;

/** Whether a long run of token characters looks like a secret rather than a name or a run id. */
function looksSecret(run: string): boolean {
  if (/^run_[0-9a-f]{32}$/.test(run)) return false;
  // Slugs and other hyphenated words (`customer-onboarding-approval-flow`) are not keys.
  if (/^[a-z]+([-_][a-z0-9]+)*$/.test(run)) return false;
  return /[0-9]/.test(run) && /[A-Za-z]/.test(run);
}

/**
 * Replaces anything in `text` that looks like a credential with `[redacted]`: provider key
 * prefixes (`sk-`, `sk-ant-`, `xoxb-`, `ghp_`, `github_pat_`, `re_`), `Bearer <token>`, and runs of
 * 32+ hex/base64 characters. Applied to provider errors and trigger failures before they are stored.
 * @example redactSecrets("Incorrect API key provided: sk-abc123def456") // "Incorrect API key provided: [redacted]"
 */
export function redactSecrets(text: string): string {
  let out = text.replace(BEARER, "$1 [redacted]");
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, "[redacted]");
  return out.replace(LONG_RUN, (run) => (looksSecret(run) ? "[redacted]" : run));
}

export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly status?: number,
    /** From the provider's Retry-After: the step waits at least this long before its next attempt. */
    readonly retryAfterMs?: number,
  ) {
    // Redacted before super(): the stack captured there repeats the message, and both are stored.
    super(redactSecrets(message));
    this.name = "ProviderError";
  }
}

/** Maps a provider's error response to a ProviderError (4xx non-retryable: code `non_retryable`). */
export async function providerFailure(provider: string, response: Response): Promise<ProviderError> {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { error?: { message?: string } | string; message?: string };
    const detail = typeof body.error === "string" ? body.error : (body.error?.message ?? body.message);
    if (detail) message = detail;
  } catch {
    // not JSON: keep the status line
  }
  const text = `${provider}: ${message}`;
  if (response.status === 429)
    return new ProviderError("provider_rate_limited", text, 429, parseRetryAfter(response.headers.get("retry-after")));
  if (response.status >= 500)
    return new ProviderError(
      "provider_unavailable",
      text,
      response.status,
      parseRetryAfter(response.headers.get("retry-after")),
    );
  return new ProviderError("non_retryable", text, response.status);
}

/** Reads a provider's JSON body, or fails with provider_bad_response. */
export async function readJsonBody<T>(provider: string, response: Response): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ProviderError(
      "provider_bad_response",
      `${provider} answered with malformed JSON: ${text.slice(0, 200)}`,
      response.status,
    );
  }
}
