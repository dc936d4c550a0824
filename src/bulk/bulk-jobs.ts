// BulkJobs: one bulk job kept in the SQLite of the Durable Object hosting it (`bulk:<id>`), and
// driven by that object's alarm in bounded batches from a cursor, under a lease (decision 0021).
import type { Env } from "../env.ts";
import { listRuns } from "../history/list-runs.ts";
import { query, run } from "../log/sql.ts";
import { actOn } from "./bulk-actions.ts";
import {
  BULK_BATCH,
  BULK_LEASE_MS,
  type BulkError,
  type BulkJob,
  type BulkOutcome,
  MAX_BULK_ERRORS,
  snapshotQuery,
} from "./bulk-job.ts";

/** Waits until the clock has passed `at`, so runs this job starts are never inside its snapshot. */
async function pastMoment(at: number): Promise<void> {
  while (Date.now() <= at) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Adds one batch's outcomes to the job's counts and its first errors. */
export function tally(job: BulkJob, outcomes: readonly { runId: string; outcome: BulkOutcome }[]): BulkJob {
  const next = { ...job, errors: [...(job.errors ?? [])] };
  for (const { runId, outcome } of outcomes) {
    if (outcome.kind === "done") next.done++;
    else if (outcome.kind === "skipped") next.skipped++;
    else {
      next.failed++;
      if (next.errors.length < MAX_BULK_ERRORS)
        next.errors.push({ runId, code: outcome.code, message: outcome.message } satisfies BulkError);
    }
  }
  if (!next.errors.length) delete (next as Partial<BulkJob>).errors;
  return next;
}

export class BulkJobs {
  /** Runs per batch (a test lowers it to cut a job off between batches). */
  batch = BULK_BATCH;
  private ready = false;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {}

  /** The table lives only in objects that host a job: created on first use. */
  private sql(): SqlStorage {
    if (!this.ready) {
      run(this.ctx.storage.sql, "CREATE TABLE IF NOT EXISTS bulk_jobs (bulk_id TEXT PRIMARY KEY, job TEXT NOT NULL)");
      this.ready = true;
    }
    return this.ctx.storage.sql;
  }

  /** The job this object hosts, if any. */
  get(): BulkJob | undefined {
    const row = query<{ job: string }>(this.sql(), "SELECT job FROM bulk_jobs LIMIT 1")[0];
    return row ? (JSON.parse(row.job) as BulkJob) : undefined;
  }

  /**
   * Records the job and arms the alarm that drives it; a job already recorded here (a repeated
   * request) is returned as it stands, and nothing starts twice.
   */
  async begin(job: BulkJob): Promise<BulkJob> {
    const existing = this.get();
    if (existing) return existing;
    run(this.sql(), "INSERT INTO bulk_jobs (bulk_id, job) VALUES (?, ?)", job.bulkId, JSON.stringify(job));
    if (job.status === "running") await this.ctx.storage.setAlarm(Date.now());
    return job;
  }

  /** Records a batch's result: the new cursor and counts together, so a crash redoes the whole batch. */
  async advance(job: BulkJob): Promise<void> {
    run(this.sql(), "UPDATE bulk_jobs SET job = ? WHERE bulk_id = ?", JSON.stringify(job), job.bulkId);
    if (job.status === "running") await this.ctx.storage.setAlarm(Date.now());
    else await this.ctx.storage.deleteAlarm();
  }

  /** The batch to act on: the one a crash interrupted, else the next page, recorded first. */
  private async nextBatch(job: BulkJob): Promise<NonNullable<BulkJob["batch"]>> {
    if (job.batch) return job.batch;
    await pastMoment(job.createdAt);
    const page = await listRuns(this.env, snapshotQuery(job, this.batch, job.cursor));
    const batch = { runIds: page.runs.map((r) => r.runId), ...(page.next ? { next: page.next } : {}) };
    run(this.sql(), "UPDATE bulk_jobs SET job = ? WHERE bulk_id = ?", JSON.stringify({ ...job, batch }), job.bulkId);
    return batch;
  }

  /**
   * Drives one batch: the lease first (should this isolate die, the alarm drives the job again),
   * then the batch (recorded before any action), each run acted on, then the counts and cursor.
   */
  async alarm(): Promise<void> {
    const job = this.get();
    if (job?.status !== "running") return;
    await this.ctx.storage.setAlarm(Date.now() + BULK_LEASE_MS);
    const batch = await this.nextBatch(job);
    const outcomes = await Promise.all(
      batch.runIds.map(async (runId) => {
        try {
          return { runId, outcome: await actOn(this.env, job, runId) };
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return { runId, outcome: { kind: "failed", code: "internal_error", message } satisfies BulkOutcome };
        }
      }),
    );
    const next = tally(job, outcomes);
    delete next.batch;
    if (batch.next) next.cursor = batch.next;
    else next.status = "completed";
    await this.advance(next);
  }
}
