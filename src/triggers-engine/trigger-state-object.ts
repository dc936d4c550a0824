// TriggerStateObject: what outlives deploys about triggers — enabled or not, last fire, poll
// cursors, and deliveries that could not start a run (with why). Objects of this class named
// `bulk:<id>` each host one bulk job instead (src/bulk, decision 0021).
import { DurableObject } from "cloudflare:workers";
import type { BulkJob } from "../bulk/bulk-job.ts";
import { BulkJobs } from "../bulk/bulk-jobs.ts";
import type { Env } from "../env.ts";
import { query, run } from "../log/sql.ts";
import { redactSecrets } from "../models/provider-error.ts";

export interface TriggerState {
  slug: string;
  enabled: boolean;
  lastFiredAt?: string;
  lastResult?: string;
}

export class TriggerStateObject extends DurableObject<Env> {
  /** The bulk job of a `bulk:<id>` object (empty in the triggers object). */
  protected readonly bulk: BulkJobs;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.bulk = new BulkJobs(ctx, env);
    run(
      ctx.storage.sql,
      `CREATE TABLE IF NOT EXISTS triggers (
      slug TEXT PRIMARY KEY, enabled INTEGER NOT NULL DEFAULT 1, last_fired_at INTEGER, last_result TEXT, poll_state TEXT)`,
    );
    run(
      ctx.storage.sql,
      `CREATE TABLE IF NOT EXISTS failed_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT, slug TEXT NOT NULL, at INTEGER NOT NULL, reason TEXT NOT NULL, detail TEXT)`,
    );
  }

  private ensure(slug: string): void {
    run(this.ctx.storage.sql, "INSERT OR IGNORE INTO triggers (slug) VALUES (?)", slug);
  }

  async states(slugs: string[]): Promise<TriggerState[]> {
    return slugs.map((slug) => {
      const row = query<{ enabled: number; last_fired_at: number | null; last_result: string | null }>(
        this.ctx.storage.sql,
        "SELECT enabled, last_fired_at, last_result FROM triggers WHERE slug = ?",
        slug,
      )[0];
      return {
        slug,
        enabled: row ? row.enabled === 1 : true,
        ...(row?.last_fired_at ? { lastFiredAt: new Date(row.last_fired_at).toISOString() } : {}),
        ...(row?.last_result ? { lastResult: row.last_result } : {}),
      };
    });
  }

  async setEnabled(slug: string, enabled: boolean): Promise<void> {
    this.ensure(slug);
    run(this.ctx.storage.sql, "UPDATE triggers SET enabled = ? WHERE slug = ?", enabled ? 1 : 0, slug);
  }

  async recordFire(slug: string, result: string): Promise<void> {
    this.ensure(slug);
    run(
      this.ctx.storage.sql,
      "UPDATE triggers SET last_fired_at = ?, last_result = ? WHERE slug = ?",
      Date.now(),
      result,
      slug,
    );
  }

  async recordFailedDelivery(slug: string, reason: string, detail?: unknown): Promise<void> {
    run(
      this.ctx.storage.sql,
      "INSERT INTO failed_deliveries (slug, at, reason, detail) VALUES (?, ?, ?, ?)",
      slug,
      Date.now(),
      // A failure's text can quote a provider's error or a payload: no key-shaped string is kept.
      redactSecrets(reason),
      detail === undefined ? null : redactSecrets(JSON.stringify(detail)),
    );
  }

  async failedDeliveries(slug: string, limit = 50) {
    return query<{ at: number; reason: string; detail: string | null }>(
      this.ctx.storage.sql,
      "SELECT at, reason, detail FROM failed_deliveries WHERE slug = ? ORDER BY id DESC LIMIT ?",
      slug,
      limit,
    ).map((r) => ({
      at: new Date(r.at).toISOString(),
      reason: r.reason,
      detail: r.detail ? JSON.parse(r.detail) : undefined,
    }));
  }

  async pollState(slug: string): Promise<unknown> {
    const row = query<{ poll_state: string | null }>(
      this.ctx.storage.sql,
      "SELECT poll_state FROM triggers WHERE slug = ?",
      slug,
    )[0];
    return row?.poll_state ? JSON.parse(row.poll_state) : undefined;
  }

  /** Records a bulk job in this `bulk:<id>` object and starts it; a repeat returns it as it stands. */
  beginBulk(job: BulkJob): Promise<BulkJob> {
    return this.bulk.begin(job);
  }

  /** This object's bulk job, if it hosts one. */
  bulkJob(): BulkJob | undefined {
    return this.bulk.get();
  }

  /** Only bulk jobs set this class's alarm: one batch per alarm. */
  override alarm(): Promise<void> {
    return this.bulk.alarm();
  }

  async setPollState(slug: string, state: unknown): Promise<void> {
    this.ensure(slug);
    run(this.ctx.storage.sql, "UPDATE triggers SET poll_state = ? WHERE slug = ?", JSON.stringify(state ?? null), slug);
  }
}
