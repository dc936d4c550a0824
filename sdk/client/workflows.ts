// `client.workflows`: the workflows a runtime serves, starting runs, pausing and resuming.
import type { WorkflowGraph } from "../workflow-graph.ts";
import type { WorkflowInfo } from "./records.ts";
import { query, type Request, segment } from "./transport.ts";
import type { RunWorkflow, RunWorkflowOptions, StartedRun } from "./typed-run.ts";

/** What `workflows.pause` answers. */
export interface WorkflowPaused {
  workflow: string;
  paused: true;
  pausedAt: string;
  reason?: string;
  /** Who paused it: `cli`, `dashboard` or `api`. */
  by?: string;
}

/** What `workflows.resume` answers: how many queued runs it released. */
export interface WorkflowResumed {
  workflow: string;
  paused: false;
  released: number;
}

export interface WorkflowsApi<D> {
  /**
   * The workflows the runtime serves.
   * @example const slugs = (await cairn.workflows.list()).map((w) => w.slug);
   */
  list(): Promise<WorkflowInfo[]>;
  /**
   * One workflow: its input and output JSON Schemas, whether it is subscribable or paused.
   * @example const { input } = await cairn.workflows.get("greeting");
   */
  get(slug: string): Promise<WorkflowInfo>;
  /**
   * Starts a run; with `wait` (seconds) answers with the finished run when it finishes in time.
   * @example const run = await cairn.workflows.run("greeting", { name: "Ada" }, { wait: 10 });
   */
  run: RunWorkflow<D>;
  /**
   * Pauses the workflow: new runs are still accepted and wait as `queued` until it resumes.
   * @example await cairn.workflows.pause("place-order", { reason: "payment provider down" });
   */
  pause(slug: string, opts?: { reason?: string }): Promise<WorkflowPaused>;
  /**
   * Resumes a paused workflow: the runs queued meanwhile start in the order they were accepted.
   * @example const { released } = await cairn.workflows.resume("place-order", { reason: "provider back" });
   */
  resume(slug: string, opts?: { reason?: string }): Promise<WorkflowResumed>;
  /**
   * The workflow's shape drawn from its code (written by `cairn generate`).
   * @example const { root } = await cairn.workflows.graph("place-order");
   */
  graph(slug: string): Promise<WorkflowGraph>;
}

/** The body of a pause or resume: the reason when there is one (the route takes nothing else). */
const reason = (opts: { reason?: string }) => (opts.reason === undefined ? {} : { reason: opts.reason });

export function workflowsApi(request: Request): WorkflowsApi<never> {
  const path = (slug: string, rest = "") => `/workflows/${segment(slug)}${rest}`;
  return {
    list: async () => (await request<{ workflows: WorkflowInfo[] }>("/workflows")).workflows,
    get: (slug) => request<WorkflowInfo>(path(slug)),
    run: ((slug: string, input: unknown, opts: RunWorkflowOptions = {}) =>
      request<StartedRun>(path(slug, query({ wait: opts.wait })), {
        method: "POST",
        json: input ?? {},
        headers: opts.idempotencyKey ? { "idempotency-key": opts.idempotencyKey } : {},
      })) as RunWorkflow<never>,
    pause: (slug, opts = {}) => request<WorkflowPaused>(path(slug, "/pause"), { method: "POST", json: reason(opts) }),
    resume: (slug, opts = {}) =>
      request<WorkflowResumed>(path(slug, "/resume"), { method: "POST", json: reason(opts) }),
    graph: (slug) => request<WorkflowGraph>(path(slug, "/graph")),
  };
}
