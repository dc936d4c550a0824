// `cairn-workflows/integrations/http`: one HTTP request as a durable step; the response (status,
// headers, body) is the step's recorded output, so a replay never sends it again.
import { readLimited } from "../http-util.ts";
import { z } from "zod";
import { defineAction } from "../action.ts";
import { NonRetryableError } from "../errors.ts";
import { fetchProvider, type ProviderCall } from "./shared.ts";

/**
 * Largest response body recorded by default (1 MiB); a larger one fails the step.
 * @example await httpRequest.run({ url, maxResponseBytes: 4 * DEFAULT_MAX_RESPONSE_BYTES });
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Request headers whose values are secrets: kept out of every error message. */
const SECRET_HEADER = /auth|token|key|secret|cookie|signature|session|password/i;

const Input = z
  .object({
    method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).default("GET"),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Sent as JSON (with `content-type: application/json`). */
    json: z.unknown().optional(),
    /** Sent as is; set the content type in `headers`. */
    body: z.string().optional(),
    timeoutMs: z.number().int().positive().default(30_000),
    /** Statuses that fail the attempt and retry it (Retry-After honoured); others ≥ 400 fail the step. */
    retryOn: z.array(z.number().int()).optional(),
    /** Statuses ≥ 400 recorded as a normal response instead of failing (e.g. `[404]`). */
    accept: z.array(z.number().int()).default([]),
    maxResponseBytes: z.number().int().positive().default(DEFAULT_MAX_RESPONSE_BYTES),
    /** How to record the body: parsed JSON, text, or by the response's content type (default). */
    responseType: z.enum(["auto", "json", "text"]).default("auto"),
  })
  .refine((input) => input.json === undefined || input.body === undefined, "give json or body, not both");

const Output = z.object({
  status: z.number(),
  /** Response headers, lower-cased, without `set-cookie`. */
  headers: z.record(z.string(), z.string()),
  body: z.unknown(),
});

/**
 * The response recorded by `httpRequest`.
 * @example const { status, headers, body }: HttpResponse = await httpRequest.run({ url });
 */
export type HttpResponse = z.output<typeof Output>;

/** 429 and every 5xx: the statuses retried when `retryOn` is not given. */
function retriedByDefault(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Sends one HTTP request. 2xx (and `accept`ed statuses) are recorded as the step's output;
 * `retryOn` statuses (default 429 and 5xx) and network errors retry with the step's backoff,
 * never sooner than Retry-After; any other status ≥ 400 fails with NonRetryableError. Header
 * values that look like secrets never appear in errors (the step's input is not recorded, only
 * its hash).
 * @example
 * const { status, body } = await httpRequest.run({
 *   method: "POST",
 *   url: "https://api.example.com/orders",
 *   headers: { authorization: `Bearer ${token}` },
 *   json: { sku: "A-1", quantity: 2 },
 *   retryOn: [429, 502, 503],
 * });
 */
export const httpRequest = defineAction({
  slug: "http-request",
  name: "HTTP request",
  input: Input,
  output: Output,
  run: async (input, _credentials, { signal }) => {
    const target = new URL(input.url);
    const call: ProviderCall = {
      provider: "http",
      // Origin and path only: a query string may carry a key.
      operation: `${input.method} ${target.origin}${target.pathname}`,
      method: input.method,
      url: input.url,
      headers: input.headers,
      json: input.json,
      signal,
      timeoutMs: input.timeoutMs,
      retryOn: (status) => (input.retryOn ? input.retryOn.includes(status) : retriedByDefault(status)),
      accept: (status) => input.accept.includes(status),
      secrets: [
        ...Object.entries(input.headers ?? {})
          .filter(([name]) => SECRET_HEADER.test(name))
          .flatMap(([, value]) => [value, value.replace(/^\S+\s+/, "")]),
        ...[...target.searchParams].filter(([name]) => SECRET_HEADER.test(name)).map(([, value]) => value),
      ],
    };
    const response = await fetchProvider(call, { body: input.body });
    return { status: response.status, headers: headersOf(response), body: await readBody(response, input) };
  },
});

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) if (name !== "set-cookie") headers[name] = value;
  return headers;
}

/** Reads at most `maxResponseBytes`, then decodes by `responseType`. */
async function readBody(response: Response, input: z.output<typeof Input>): Promise<unknown> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > input.maxResponseBytes) throw tooLarge(input, declared);
  const bytes = await readLimited(response.body, input.maxResponseBytes, (size) => tooLarge(input, size));
  const text = new TextDecoder().decode(bytes);
  const isJson = /\bjson\b/i.test(response.headers.get("content-type") ?? "");
  if (input.responseType === "text" || (input.responseType === "auto" && !isJson) || text === "") return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new NonRetryableError(`http ${input.method}: response is not JSON (${text.slice(0, 100)})`);
  }
}

function tooLarge(input: z.output<typeof Input>, bytes: number): Error {
  return new NonRetryableError(
    `http ${input.method}: response of ${bytes}+ bytes exceeds maxResponseBytes (${input.maxResponseBytes})`,
  );
}
