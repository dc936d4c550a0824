// `client.runs.bulk` and `client.runs.bulkStatus`: cancel, retry or rerun every run a history
// filter matches (`POST /runs/bulk`, `GET /runs/bulk/:bulkId`).
import type { RunStatus } from "../engine/run-status.ts";
import { type Request, segment } from "./transport.ts";

/** Which runs a bulk operation acts on; times as ISO dates or epoch milliseconds. */
export interface BulkFilter {
  workflow?: string;
  status?: RunStatus;
  trigger?: string;
  since?: string | number;
  until?: string | number;
}

/** A bulk operation: the action, the filter, the reason each run's log keeps, and `dryRun` to count only. */
export interface BulkRequest {
  action: "cancel" | "retry" | "rerun";
  filter: BulkFilter;
  reason?: string;
  dryRun?: boolean;
  /** Sent as `Idempotency-Key`: the same key again returns the same job and does nothing twice. */
  idempotencyKey?: string;
}

/** What `POST /runs/bulk` answers: the count alone for a dry run, else the job it started. */
export type BulkStarted =
  | { action: BulkRequest["action"]; count: number; bulkId?: undefined }
  | { bulkId: string; action: BulkRequest["action"]; count: number; status: "running" | "completed" };

/** A bulk job's progress (`GET /runs/bulk/:bulkId`). */
export interface BulkStatus {
  bulkId: string;
  action: BulkRequest["action"];
  filter: { workflow?: string; status?: string; trigger?: string; since?: number; until?: number };
  reason?: string;
  createdAt: string;
  /** Runs that matched when the job was created. */
  count: number;
  done: number;
  failed: number;
  /** Runs with nothing to do (a cancel of a finished run, a retry of a live one). */
  skipped: number;
  status: "running" | "completed";
  /** The first runs it could not act on, and why. */
  errors?: { runId: string; code: string; message: string }[];
}

export function bulkApi(request: Request) {
  return {
    /**
     * Cancels, retries or reruns every run the filter matches; `dryRun: true` answers the count only.
     * @example
     * const { count } = await cairn.runs.bulk({ action: "retry", filter: { status: "failed" }, dryRun: true });
     * const job = await cairn.runs.bulk({ action: "retry", filter: { status: "failed" }, reason: "outage over" });
     */
    bulk: ({ idempotencyKey, ...body }: BulkRequest) =>
      request<BulkStarted>("/runs/bulk", {
        method: "POST",
        json: body,
        ...(idempotencyKey ? { headers: { "idempotency-key": idempotencyKey } } : {}),
      }),
    /**
     * A bulk job's progress: how many runs it did, failed or skipped of its count.
     * @example const { done, count, status } = await cairn.runs.bulkStatus(job.bulkId);
     */
    bulkStatus: (bulkId: string) => request<BulkStatus>(`/runs/bulk/${segment(bulkId)}`),
  };
}
