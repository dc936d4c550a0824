// Provider failures with stable codes: 429 and 5xx are retried with the step's backoff (and
// `Retry-After`); other 4xx fail the step at once with the provider's message.

export type ProviderErrorCode =
  | "provider_rate_limited"
  | "provider_unavailable"
  | "provider_bad_response"
  | "missing_secret"
  | "non_retryable";

export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly status?: number,
    /** From the provider's Retry-After: the step waits at least this long before its next attempt. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** Parses Retry-After as seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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
    return new ProviderError("provider_rate_limited", text, 429, retryAfterMs(response.headers.get("retry-after")));
  if (response.status >= 500)
    return new ProviderError(
      "provider_unavailable",
      text,
      response.status,
      retryAfterMs(response.headers.get("retry-after")),
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
