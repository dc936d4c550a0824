// `client.runs`: read, follow and operate on runs. A new run method goes in the object below.
import type { RunEvent } from "../engine/events.ts";
import type { RunExport, RunExportPage } from "../run-export.ts";
import { isFinishedStatus, isTerminalEvent, type RunStatus } from "../engine/run-status.ts";
import type { RunRecord, RunSummary } from "./records.ts";
import { bulkApi } from "./bulk.ts";
import { query, type Request, segment } from "./transport.ts";
import type { StartedRun } from "./typed-run.ts";

/** A page of a run's event log: `next` is the `after` of the following page, when there is one. */
export interface RunEventsPage {
  events: RunEvent[];
  next?: number;
}

/** A page of the run history, newest first, with the count of runs per status. */
export interface RunListPage {
  runs: RunSummary[];
  counts: Record<string, number>;
  next?: string;
}

export interface RunListFilter {
  workflow?: string;
  status?: RunStatus;
  trigger?: string;
  cursor?: string;
  limit?: number;
}

export function runsApi(request: Request) {
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
      const path = `/runs/${segment(runId)}`;
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
    /**
     * One page of the run history, filtered.
     * @example const { runs, next } = await cairn.runs.list({ workflow: "greeting", status: "failed" });
     */
    list: (opts: RunListFilter = {}) => request<RunListPage>(`/runs${query({ ...opts })}`),
    /**
     * One page of the run's event log, from sequence number `after` (0: the start).
     * @example const { events, next } = await cairn.runs.events(runId, { after: 0, limit: 100 });
     */
    events: (runId: string, opts: { after?: number; limit?: number } = {}) =>
      request<RunEventsPage>(`/runs/${segment(runId)}/events${query(opts)}`),
    /**
     * Every event of the run's log (after sequence number `after`, 0 by default), following the pages.
     * @example for await (const event of cairn.runs.allEvents(runId)) console.log(event.seq, event.type);
     */
    async *allEvents(runId: string, opts: { after?: number; pageSize?: number } = {}): AsyncGenerator<RunEvent> {
      for (let after: number | undefined = opts.after ?? 0; after !== undefined; ) {
        const page: RunEventsPage = await runs.events(runId, { after, limit: opts.pageSize ?? 1000 });
        yield* page.events;
        after = page.next;
      }
    },
    /**
     * The run's identity and its full event log, values as stored (what `cairn replay --file` reads).
     * @example writeFileSync("history.json", JSON.stringify(await cairn.runs.export(runId)));
     */
    export: (runId: string) => request<RunExport>(`/runs/${segment(runId)}/export`),
    /**
     * Every live run's export (`scope: "live"`, the default), plus the `finished` most recent
     * finished ones, or every run (`scope: "all"`), following `GET /runs/export`'s pages. A run
     * whose status changed while the pages were read may come twice.
     * @example for await (const run of cairn.runs.exportAll({ finished: 20 })) console.log(run.run.runId);
     */
    async *exportAll(
      opts: { scope?: "live" | "all"; finished?: number; pageSize?: number } = {},
    ): AsyncGenerator<RunExport> {
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const params = { scope: opts.scope, finished: opts.finished, limit: opts.pageSize, cursor };
        const page: RunExportPage = await request<RunExportPage>(`/runs/export${query(params)}`);
        yield* page.runs;
        cursor = page.next;
      }
    },
    /**
     * Cancels a live run, with the reason its log keeps.
     * @example await cairn.runs.cancel(runId, { reason: "duplicate order" });
     */
    cancel: (runId: string, opts: { reason?: string } = {}) =>
      request<{ runId: string; status: RunStatus }>(`/runs/${segment(runId)}/cancel`, {
        method: "POST",
        json: opts.reason === undefined ? {} : { reason: opts.reason },
      }),
    /**
     * Retries a failed or canceled run in a new run that replays its completed steps and executes
     * from the step that failed (or from `fromStep`, and everything after it). Resolves with the new run.
     * @example const { runId: retryId } = await cairn.runs.retry(runId, { fromStep: "charge#1" });
     */
    retry: (runId: string, opts: { fromStep?: string; reason?: string } = {}) =>
      request<StartedRun>(`/runs/${segment(runId)}/retry`, { method: "POST", json: opts }),
    /**
     * Starts a fresh run of the same workflow with the run's input, or with `input` instead.
     * @example const { runId: rerunId } = await cairn.runs.rerun(runId, { input: { orderId: "o_2" } });
     */
    rerun: (runId: string, opts: { input?: unknown } = {}) =>
      request<StartedRun>(`/runs/${segment(runId)}/rerun`, { method: "POST", json: opts }),
    ...bulkApi(request),
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
  return runs;
}

/** `client.runs`. */
export type RunsApi = ReturnType<typeof runsApi>;
