// One table maps every error code to its HTTP status; route code just throws ApiError.
import type { Context } from "hono";
import type { Failure } from "../run/result.ts";

const STATUS_BY_CODE: Record<string, number> = {
  invalid_json: 400,
  invalid_config: 500,
  json_too_deep: 400,
  invalid_input: 400,
  invalid_query: 400,
  invalid_hook_payload: 400,
  unauthorized: 401,
  forbidden: 403,
  api_key_required: 403,
  webhook_auth_required: 403,
  not_found: 404,
  workflow_not_found: 404,
  graph_unavailable: 404,
  run_not_found: 404,
  bulk_not_found: 404,
  hook_not_found: 404,
  step_not_found: 404,
  agent_not_found: 404,
  trigger_not_found: 404,
  subscription_not_found: 404,
  not_subscribable: 400,
  subscription_exists: 409,
  session_not_found: 404,
  method_not_allowed: 405,
  run_finished: 409,
  run_not_retryable: 409,
  run_not_blocked: 409,
  hook_already_resumed: 409,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_trigger_payload: 422,
  too_many_streams: 429,
  too_many_attempts: 429,
  internal_error: 500,
  agent_failed: 502,
  agent_unavailable: 503,
  unavailable: 503,
};

// What the runtime throws when storage or an object is briefly out of reach (memory pressure,
// an overloaded or reset Durable Object, a dropped connection). The client should retry: a 503,
// not a 500 that reads like a bug. A start retried with its Idempotency-Key never runs twice.
const TRANSIENT_MESSAGE =
  /SQLITE_NOMEM|SQLITE_BUSY|SQLITE_FULL|overloaded|Network connection lost|Durable Object reset|exceeded its memory limit|outputGateBroken/i;

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const flags = error as Error & { retryable?: unknown; overloaded?: unknown };
  return flags.retryable === true || flags.overloaded === true || TRANSIENT_MESSAGE.test(error.message);
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return STATUS_BY_CODE[this.code] ?? 400;
  }

  /** Lifts a Durable Object's coded failure into a thrown API error. */
  static from(failure: Failure): ApiError {
    return new ApiError(failure.error.code, failure.error.message, failure.error.details);
  }
}

/**
 * The value of a Durable Object RPC result, or its coded failure thrown as an ApiError.
 * (Typed loosely because RPC stubs rewrite the union's types.)
 */
export function unwrap<T>(result: { ok: boolean; value?: T; error?: Failure["error"] }): T {
  if (!result.ok || result.error) throw ApiError.from(result as Failure);
  return result.value as T;
}

/** `{ "error": { "code", "message", ...details } }` with the mapped status. */
export function errorResponse(c: Context, error: ApiError): Response {
  const details =
    error.details && typeof error.details === "object"
      ? error.details
      : error.details === undefined
        ? {}
        : { details: error.details };
  return c.json({ error: { code: error.code, message: error.message, ...details } }, error.status as 400);
}
