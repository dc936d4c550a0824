// `cairn-workflows/client`: a typed HTTP client for a Cairn runtime. Fetch only, so it works in Node,
// browsers and Workers.
import type { z } from "zod";
import type { RunEvent, SerializedError } from "./engine/events.ts";
import type { WorkflowDefinition } from "./workflow-types.ts";
import { CairnApiError, CairnConnectionError } from "./errors.ts";

export { CairnApiError, CairnConnectionError };

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
  /** A retry: the failed or canceled run it replays. */
  retryOf?: string;
  /** The runs that retried this one, oldest first. */
  retriedBy?: string[];
  /** A rerun: the run whose input it started again with. */
  rerunOf?: string;
  /** Why the run was canceled, when the cancel said. */
  cancelReason?: string;
  createdAt: string;
  startedAt?: string;
  updatedAt: string;
  finishedAt?: string;
  wakeAt?: string;
  steps: StepRecord[];
  /** More steps follow: pass this as `stepsAfter` (or `?steps_after=`) for the next page. */
  nextStepsCursor?: string;
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

export interface ClientOptions {
  /** Base URL of the runtime, e.g. http://127.0.0.1:8787. */
  url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  fetch?: typeof fetch;
}

/**
 * What a typed client learns the project's workflows from: the generated definitions module
 * (`typeof import("./cairn.gen")`, or any object with `workflows`) or a tuple of definitions.
 */
export type ClientDefinitions = { readonly workflows: readonly WorkflowDefinition[] } | readonly WorkflowDefinition[];

/** The workflows of `D`, as a union. */
type WorkflowsIn<D> = D extends readonly (infer W)[]
  ? W
  : D extends { readonly workflows: readonly (infer W)[] }
    ? W
    : never;
type SlugOf<W> = W extends { readonly slug: infer S extends string } ? S : never;
type WorkflowNamed<D, S> = Extract<WorkflowsIn<D>, { readonly slug: S }>;
type InputOf<W> = W extends { readonly input: infer I extends z.ZodType } ? z.input<I> : unknown;
type OutputOf<W> = W extends { readonly output: infer O extends z.ZodType } ? z.output<O> : unknown;

export interface RunWorkflowOptions {
  /** Starting twice with one key starts one run (the second answers `created: false`). */
  idempotencyKey?: string;
  /** Seconds to wait for the run to finish; the answer then carries its output. */
  wait?: number;
}

/** What starting a run answers: the run id and status, and the finished run when `wait` sufficed. */
export type StartedRun<O = unknown> = { runId: string; status: RunStatus; created?: boolean } & Partial<RunRecord<O>>;

/** `workflows.run` of a client without definitions: `W` (e.g. `typeof greeting`) types one call. */
export type LooseRunWorkflow = <W = unknown>(
  slug: string,
  input: InputOf<W>,
  opts?: RunWorkflowOptions,
) => Promise<StartedRun<OutputOf<W>>>;

/** `workflows.run` of a client typed by definitions: the slug picks the workflow's input and output. */
export type TypedRunWorkflow<D> = <S extends SlugOf<WorkflowsIn<D>>>(
  slug: S,
  input: InputOf<WorkflowNamed<D, S>>,
  opts?: RunWorkflowOptions,
) => Promise<StartedRun<OutputOf<WorkflowNamed<D, S>>>>;

export interface WorkflowsApi<D> {
  list(): Promise<WorkflowInfo[]>;
  get(slug: string): Promise<WorkflowInfo>;
  /** Starts a run; with `wait` (seconds) answers with the finished run when it finishes in time. */
  run: [D] extends [never] ? LooseRunWorkflow : TypedRunWorkflow<D>;
}

type BaseClient = ReturnType<typeof buildClient>;

/** A client; `D` (the project's definitions) types `workflows.run` by slug. */
export type CairnClient<D extends ClientDefinitions = never> = Omit<BaseClient, "workflows"> & {
  readonly workflows: WorkflowsApi<D>;
};

/**
 * Creates a client for a Cairn runtime. Give it the project's definitions as a type argument
 * (as hono's `hc<typeof app>` takes the app) and `workflows.run` checks the input and types the
 * output by slug; without one, a call can name its workflow instead.
 * @example
 * import type * as definitions from "./cairn.gen";
 * const cairn = createClient<typeof definitions>({ url: "http://127.0.0.1:8787" });
 * const run = await cairn.workflows.run("greeting", { name: "Ada" }, { wait: 10 });
 * console.log(run.output?.message);
 * // untyped: createClient({ url }).workflows.run<typeof greeting>("greeting", { name: "Ada" })
 */
export function createClient<D extends ClientDefinitions = never>(options: ClientOptions): CairnClient<D> {
  // Types only: the definitions never travel, the server validates every input.
  return buildClient(options) as unknown as CairnClient<D>;
}

function buildClient(options: ClientOptions) {
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
    /**
     * The run record with its first page of steps (`stepsLimit`, 500 by default; the next page
     * starts after `stepsAfter`, the `nextStepsCursor` of the last). `allSteps` follows the pages.
     * @example const run = await cairn.runs.get(runId, { allSteps: true });
     */
    get: async <O = unknown>(
      runId: string,
      opts: { wait?: number; stepsLimit?: number; stepsAfter?: string; allSteps?: boolean } = {},
    ): Promise<RunRecord<O>> => {
      const path = `/runs/${encodeURIComponent(runId)}`;
      const params = { wait: opts.wait, steps_limit: opts.stepsLimit, steps_after: opts.stepsAfter };
      const run = await request<RunRecord<O>>(`${path}${query(params)}`);
      if (!opts.allSteps) return run;
      for (let after = run.nextStepsCursor; after; ) {
        const page = await request<RunRecord<O>>(
          `${path}${query({ steps_limit: opts.stepsLimit, steps_after: after })}`,
        );
        run.steps.push(...page.steps);
        after = page.nextStepsCursor;
      }
      delete run.nextStepsCursor;
      return run;
    },
    list: (opts: { workflow?: string; status?: RunStatus; trigger?: string; cursor?: string; limit?: number } = {}) =>
      request<{ runs: RunSummary[]; counts: Record<string, number>; next?: string }>(`/runs${query(opts)}`),
    events: (runId: string, opts: { after?: number; limit?: number } = {}) =>
      request<{ events: RunEvent[]; next?: number }>(`/runs/${encodeURIComponent(runId)}/events${query(opts)}`),
    /**
     * Cancels a live run, with the reason its log keeps.
     * @example await cairn.runs.cancel(runId, { reason: "duplicate order" });
     */
    cancel: (runId: string, opts: { reason?: string } = {}) =>
      request<{ runId: string; status: RunStatus }>(`/runs/${encodeURIComponent(runId)}/cancel`, {
        method: "POST",
        json: opts.reason === undefined ? {} : { reason: opts.reason },
      }),
    /**
     * Retries a failed or canceled run in a new run that replays its completed steps and executes
     * from the step that failed (or from `fromStep`, and everything after it). Resolves with the new run.
     * @example const { runId: retryId } = await cairn.runs.retry(runId, { fromStep: "charge#1" });
     */
    retry: (runId: string, opts: { fromStep?: string; reason?: string } = {}) =>
      request<StartedRun>(`/runs/${encodeURIComponent(runId)}/retry`, { method: "POST", json: opts }),
    /**
     * Starts a fresh run of the same workflow with the run's input, or with `input` instead.
     * @example const { runId: rerunId } = await cairn.runs.rerun(runId, { input: { orderId: "o_2" } });
     */
    rerun: (runId: string, opts: { input?: unknown } = {}) =>
      request<StartedRun>(`/runs/${encodeURIComponent(runId)}/rerun`, { method: "POST", json: opts }),
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
      run: (slug: string, input: unknown, opts: RunWorkflowOptions = {}) =>
        request<StartedRun>(`/workflows/${encodeURIComponent(slug)}${query({ wait: opts.wait })}`, {
          method: "POST",
          json: input ?? {},
          headers: opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {},
        }),
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
