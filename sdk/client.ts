// `cairn/client`: a typed HTTP client for a Cairn runtime. Fetch only, so it works in Node,
// browsers and Workers.
import type { z } from "zod";
import type { RunEvent, SerializedError } from "./engine/events.ts";
import type { WorkflowDefinition } from "./workflow-types.ts";

import { FINISHED_STATUSES, isFinishedStatus, isTerminalEvent, type RunStatus } from "./engine/run-status.ts";

export { FINISHED_STATUSES, type RunStatus };

export interface StepRecord {
  id: string;
  kind: string;
  name: string;
  status: string;
  attempts: number;
  startedAt?: string;
  endedAt?: string;
  output?: unknown;
  error?: SerializedError;
  errors?: { attempt: number; error: SerializedError; at?: string }[];
  retryAt?: string;
  wakeAt?: string;
  usage?: { inputTokens: number; outputTokens: number };
}

export interface RunRecord<O = unknown> {
  runId: string;
  workflow: string;
  status: RunStatus;
  input: unknown;
  output?: O;
  error?: SerializedError;
  trigger: { type: string; source?: string };
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  finishedAt?: string;
  wakeAt?: string;
  steps: StepRecord[];
  hooks: { id: string; createdAt?: string; timeoutAt?: string; token?: string; resumeUrl?: string }[];
}

export interface RunSummary {
  runId: string;
  workflow: string;
  status: RunStatus;
  trigger: { type: string; source?: string };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export interface WorkflowInfo {
  slug: string;
  name: string;
  description: string | null;
  input: unknown;
  output: unknown;
  subscribable: boolean;
}

/** A rejected request: the server's status and coded error. */
export class CairnApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "CairnApiError";
  }
}

/** No server answered at the URL. */
export class CairnConnectionError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`no server at ${url} — start one with \`cairn dev\` (or set --url / CAIRN_URL)`, { cause });
    this.name = "CairnConnectionError";
  }
}

export interface ClientOptions {
  /** Base URL of the runtime, e.g. http://127.0.0.1:8787. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  fetch?: typeof fetch;
}

type InputOf<W> = W extends WorkflowDefinition<infer I, z.ZodType> ? z.input<I> : unknown;
type OutputOf<W> = W extends WorkflowDefinition<z.ZodType, infer O> ? z.output<O> : unknown;

/**
 * Creates a client for a Cairn runtime.
 * @example
 * const cairn = createClient({ url: "http://127.0.0.1:8787" });
 * const run = await cairn.workflows.run<typeof greeting>("greeting", { name: "Ada" }, { wait: 10 });
 * console.log(run.output);
 */
export function createClient(options: ClientOptions) {
  const base = options.url.replace(/\/$/, "");
  const doFetch = options.fetch ?? fetch;

  async function request<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
    const headers = new Headers(init.headers);
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
  }

  const query = (params: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
    const text = search.toString();
    return text ? `?${text}` : "";
  };

  const runs = {
    get: <O = unknown>(runId: string, opts: { wait?: number } = {}) =>
      request<RunRecord<O>>(`/runs/${encodeURIComponent(runId)}${query({ wait: opts.wait })}`),
    list: (opts: { workflow?: string; status?: RunStatus; trigger?: string; cursor?: string; limit?: number } = {}) =>
      request<{ runs: RunSummary[]; counts: Record<string, number>; next?: string }>(`/runs${query(opts)}`),
    events: (runId: string, opts: { after?: number; limit?: number } = {}) =>
      request<{ events: RunEvent[]; next?: number }>(`/runs/${encodeURIComponent(runId)}/events${query(opts)}`),
    cancel: (runId: string) =>
      request<{ runId: string; status: RunStatus }>(`/runs/${encodeURIComponent(runId)}/cancel`, { method: "POST" }),
    /**
     * Yields each new event of the run until it finishes.
     * @example for await (const event of cairn.runs.watch(runId)) console.log(event.type);
     */
    async *watch(runId: string, opts: { intervalMs?: number } = {}): AsyncGenerator<RunEvent> {
      let after = 0;
      for (;;) {
        const page = await runs.events(runId, { after, limit: 1000 });
        for (const event of page.events) yield event;
        after += page.events.length;
        if (page.next !== undefined) continue;
        if (page.events.some((e) => isTerminalEvent(e.type))) return;
        const run = await runs.get(runId);
        if (isFinishedStatus(run.status) && after >= 1) {
          const rest = await runs.events(runId, { after, limit: 1000 });
          for (const event of rest.events) yield event;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, opts.intervalMs ?? 250));
      }
    },
  };

  return {
    workflows: {
      list: async () => (await request<{ workflows: WorkflowInfo[] }>("/workflows")).workflows,
      get: (slug: string) => request<WorkflowInfo>(`/workflows/${encodeURIComponent(slug)}`),
      /** Starts a run; with `wait` (seconds) answers with the finished run when it finishes in time. */
      run: <W = unknown>(slug: string, input: InputOf<W>, opts: { idempotencyKey?: string; wait?: number } = {}) =>
        request<{ runId: string; status: RunStatus; created?: boolean } & Partial<RunRecord<OutputOf<W>>>>(
          `/workflows/${encodeURIComponent(slug)}${query({ wait: opts.wait })}`,
          {
            method: "POST",
            json: input ?? {},
            headers: opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {},
          },
        ),
    },
    runs,
    hooks: {
      /** Resumes a hook by token or full resume URL. */
      resume: (tokenOrUrl: string, value: unknown = {}) => {
        const path = /^https?:\/\//.test(tokenOrUrl) ? tokenOrUrl : `/hooks/${encodeURIComponent(tokenOrUrl)}`;
        return request<{ ok: true; runId: string }>(path, { method: "POST", json: value });
      },
    },
    triggers: {
      list: () => request<{ triggers: unknown[] }>("/triggers"),
      invoke: (slug: string, input?: unknown) =>
        request<unknown>(`/triggers/${encodeURIComponent(slug)}/invoke`, { method: "POST", json: input ?? {} }),
      enable: (slug: string) => request<unknown>(`/triggers/${encodeURIComponent(slug)}/enable`, { method: "POST" }),
      disable: (slug: string) => request<unknown>(`/triggers/${encodeURIComponent(slug)}/disable`, { method: "POST" }),
    },
  };
}

export type CairnClient = ReturnType<typeof createClient>;
