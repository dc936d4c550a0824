// The one HTTP call every client method makes: auth header, JSON body, coded errors.
import { CairnApiError, CairnConnectionError } from "../errors.ts";

export interface ClientOptions {
  /** Base URL of the runtime, e.g. http://127.0.0.1:8787. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Sent with every request (e.g. `x-cairn-client: cli`, which the runtime records as who paused). */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** `init.json` is sent as the JSON body. */
export type RequestOptions = RequestInit & { json?: unknown };

/** Sends one request to the runtime and answers its parsed JSON; a non-2xx answer throws `CairnApiError`. */
export type Request = <T>(path: string, init?: RequestOptions) => Promise<T>;

/** Builds the request function of one client. A full `http(s)://` path is sent as is (resume URLs). */
export function createRequest(options: ClientOptions): Request {
  const base = options.url.replace(/\/$/, "");
  const doFetch = options.fetch ?? fetch;
  return async <T>(path: string, init: RequestOptions = {}): Promise<T> => {
    const headers = new Headers(options.headers);
    for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
    if (options.apiKey) headers.set("authorization", `Bearer ${options.apiKey}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const url = path.startsWith("http") ? path : `${base}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, { ...init, headers, body });
    } catch (error) {
      throw new CairnConnectionError(base, error);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      const { code = "http_error", message = `${response.status} ${response.statusText}`, ...details } = error ?? {};
      throw new CairnApiError(response.status, code, message, details);
    }
    return parsed as T;
  };
}

/** `?a=1&b=x` from the defined values, or "" when none is. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** One path segment, escaped. */
export const segment = (value: string): string => encodeURIComponent(value);
