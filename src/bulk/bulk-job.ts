// What a bulk operation is: its action, the history filter it acts on (bounded by the time it was
// created, so runs started later are never touched), its cursor, its counts and its status.
import type { ListRunsQuery } from "../history/index-object.ts";

/** The operations a bulk job applies to each matching run. */
export const BULK_ACTIONS = ["cancel", "retry", "rerun"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Runs listed and acted on per alarm: one batch's work is bounded, and a crash redoes at most one. */
export const BULK_BATCH = 25;
/**
 * How long a batch may take before the alarm armed at its start drives the job again from its
 * cursor (an isolate that died mid-batch; the runtime's own alarm retries are not relied on).
 */
export const BULK_LEASE_MS = 60_000;
/** Per-run failures a job keeps (the first ones); `failed` still counts them all. */
export const MAX_BULK_ERRORS = 20;

/** Which runs a bulk job acts on: the history filter of `GET /runs` (times in epoch ms). */
export interface BulkFilter {
  workflow?: string;
  status?: string;
  trigger?: string;
  since?: number;
  until?: number;
}

/** One run a job could not act on, and why. */
export interface BulkError {
  runId: string;
  code: string;
  message: string;
}

/** A bulk job as stored and as `GET /runs/bulk/:bulkId` answers it. */
export interface BulkJob {
  bulkId: string;
  action: BulkAction;
  filter: BulkFilter;
  reason?: string;
  /** When it was created (epoch ms): it acts on runs created up to this moment only. */
  createdAt: number;
  /** Runs matching when it was created. */
  count: number;
  done: number;
  failed: number;
  /** Runs there was nothing to do for (a cancel of a finished run, a retry of a live one). */
  skipped: number;
  status: "running" | "completed";
  errors?: BulkError[];
  /** Where the job stands in the history (a listing cursor); absent before the first batch. */
  cursor?: string;
  /**
   * The batch being acted on, recorded before its first action: a batch redone after a crash
   * acts on these runs again, even those whose status (changed by this job) no longer matches.
   */
  batch?: { runIds: string[]; next?: string };
  /** The public URL runs it starts hand out in resume links. */
  origin?: string;
}

/** What one run came to: acted on, nothing to do, or a coded failure. */
export type BulkOutcome = { kind: "done" } | { kind: "skipped" } | { kind: "failed"; code: string; message: string };

/**
 * The history query of a job's snapshot: its filter, bounded by its creation time (inclusive),
 * so runs created afterwards — the job's own retries and reruns among them — never match.
 * @example snapshotQuery(job, BULK_BATCH) // { workflow, status, until: createdAt + 1, limit: 25 }
 */
export function snapshotQuery(
  job: Pick<BulkJob, "filter" | "createdAt">,
  limit: number,
  cursor?: string,
): ListRunsQuery {
  const bound = job.createdAt + 1;
  const until = job.filter.until === undefined ? bound : Math.min(job.filter.until, bound);
  return { ...job.filter, until, limit, ...(cursor ? { cursor } : {}) };
}

/** The id `by` fields and trigger sources name a job with. */
export const bulkActor = (bulkId: string) => `bulk:${bulkId}`;

/** The job as the API shows it (without its cursor and origin). */
export function bulkView(job: BulkJob) {
  const { cursor: _cursor, origin: _origin, batch: _batch, createdAt, ...view } = job;
  return { ...view, createdAt: new Date(createdAt).toISOString() };
}
export type BulkView = ReturnType<typeof bulkView>;
