// What every integration shares: its base URL (credential, environment variable, default), one
// provider call with typed failures (429/5xx/network retried no sooner than Retry-After, other
// 4xx non-retryable), and the redaction that keeps credentials out of errors and the log.
import { parseRetryAfter } from "../http-util.ts";
import { CairnError, NonRetryableError } from "../errors.ts";

/** Sent on every provider call: GitHub and Resend refuse requests without a User-Agent. */
export const USER_AGENT = "cairn-workflows";

/** How long one provider call may take before it counts as a failed (retried) attempt. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * A provider's transient failure (429, 5xx, a network error or a timeout): the step retries it,
 * waiting at least `retryAfterMs` (the provider's Retry-After) before the next attempt.
 */
export class TransientProviderError extends CairnError {
  readonly retryAfterMs?: number;
  constructor(
    code: "provider_rate_limited" | "provider_unavailable",
    message: string,
    details: { provider: string; status?: number; retryAfterMs?: number },
  ) {
    super(code, message, details);
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
}

/** A provider's refusal (4xx other than 429): the step fails at once. Replays as NonRetryableError. */
class ProviderRejection extends NonRetryableError {
  readonly details: { provider: string; status: number; error?: string };
  constructor(message: string, details: { provider: string; status: number; error?: string }) {
    super(message);
    this.details = details;
  }
}

/**
 * Reads a Worker variable or secret: `process.env`, which Node fills from the environment and
 * Workers (nodejs_compat, compatibility date 2025-04-01 or later) from the Worker's vars and secrets.
 */
export function envVar(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.[name];
  return value ? value : undefined;
}

/** The credential's `baseUrl`, else the environment variable, else the provider's default. */
export function resolveBaseUrl(fromCredential: string | undefined, variable: string, fallback: string): string {
  return fromCredential || envVar(variable) || fallback;
}

/** Joins a base URL and a path whatever slashes either side has. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

/**
 * Replaces every secret (and its Bearer form) in a text, so errors never carry a credential.
 * @example redact("bad token xoxb-1", ["xoxb-1"]) // "bad token [redacted]"
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would redact ordinary words; no real token is this short.
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

/** One provider call, described by data so every integration fails the same way. */
export interface ProviderCall {
  /** Names the provider in errors: "slack", "github", "resend", "http". */
  provider: string;
  /** What the call does, for error messages: "chat.postMessage", "POST /repos/…/issues". */
  operation: string;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** The attempt's signal: the step's timeout or the run's cancelation aborts the call. */
  signal: AbortSignal;
  timeoutMs?: number;
  /** Values that must never appear in an error (tokens, API keys). */
  secrets: readonly (string | undefined)[];
  /** The provider's own error text in a failure body (GitHub's `message`, Slack's `error`). */
  describeError?: (body: unknown) => string | undefined;
  /** Overrides which failed statuses are retried (default: 429, 5xx and GitHub's exhausted 403). */
  retryOn?: (status: number) => boolean;
  /** Failed statuses returned as responses instead of errors. */
  accept?: (status: number) => boolean;
}

/** Sends a request and turns failures into typed errors; returns the successful response. */
export async function fetchProvider(call: ProviderCall, init: { body?: BodyInit } = {}): Promise<Response> {
  const headers = new Headers(call.headers);
  if (!headers.has("user-agent")) headers.set("user-agent", USER_AGENT);
  let body = init.body;
  if (call.json !== undefined) {
    headers.set("content-type", "application/json; charset=utf-8");
    body = JSON.stringify(call.json);
  }
  const timeoutMs = call.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(call.url, {
      method: call.method ?? "POST",
      headers,
      body,
      signal: AbortSignal.any([call.signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (error) {
    // The attempt itself was aborted (step timeout, cancel): let the engine's own error through.
    if (call.signal.aborted) throw call.signal.reason ?? error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TransientProviderError(
      "provider_unavailable",
      redact(`${call.provider} ${call.operation}: no answer (${reason})`, call.secrets),
      { provider: call.provider },
    );
  }
  if (response.ok || call.accept?.(response.status)) return response;
  throw await failureOf(call, response);
}

/** Maps a failed response to a retried TransientProviderError or a NonRetryableError. */
async function failureOf(call: ProviderCall, response: Response): Promise<Error> {
  const text = await response.text().catch(() => "");
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the text itself is the detail
  }
  const detail = call.describeError?.(parsed) ?? (text.slice(0, 200) || response.statusText);
  const message = redact(`${call.provider} ${call.operation}: ${response.status} ${detail}`, call.secrets);
  const retryAfterMs = rateLimitWaitMs(response);
  // GitHub answers an exhausted rate limit with 403 and x-ratelimit-remaining: 0 (or Retry-After).
  const rateLimited =
    response.status === 429 || (response.status === 403 && retryAfterMs !== undefined) || isExhausted(response);
  const retried = call.retryOn ? call.retryOn(response.status) : rateLimited || response.status >= 500;
  if (retried && rateLimited)
    return new TransientProviderError("provider_rate_limited", message, {
      provider: call.provider,
      status: response.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  if (retried)
    return new TransientProviderError("provider_unavailable", message, {
      provider: call.provider,
      status: response.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  return new ProviderRejection(message, {
    provider: call.provider,
    status: response.status,
    ...(detail ? { error: redact(detail, call.secrets) } : {}),
  });
}

/** A rejection raised from a 200 answer that says it failed (Slack's `{ ok: false }`). */
export function rejection(provider: string, message: string, status: number, error?: string): Error {
  return new ProviderRejection(message, { provider, status, ...(error ? { error } : {}) });
}

function isExhausted(response: Response): boolean {
  return response.status === 403 && response.headers.get("x-ratelimit-remaining") === "0";
}

/** Retry-After, or for an exhausted GitHub-style limit the time until x-ratelimit-reset. */
function rateLimitWaitMs(response: Response): number | undefined {
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  if (retryAfter !== undefined) return retryAfter;
  const reset = Number(response.headers.get("x-ratelimit-reset"));
  if (response.headers.get("x-ratelimit-remaining") === "0" && reset > 0) return Math.max(0, reset * 1000 - Date.now());
  return undefined;
}
