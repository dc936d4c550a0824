// WorkflowObject: one Durable Object per subscribable workflow, holding its subscriptions and the
// fan-out jobs still sending to them. Subscriber-scoped credential values are encrypted at rest
// and never returned.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { query, run } from "../log/sql.ts";
import { driveFanOut, FAN_OUT_LEASE_MS, type FanOutJob, type FanOutTemplate } from "./fan-out-job.ts";
import { decryptJson, encryptJson } from "./secrets.ts";

export interface Subscription {
  id: string;
  subscriber: string;
  enabled: boolean;
  metadata?: unknown;
  createdAt: string;
  /** Names of the credential keys stored for this subscriber (never their values). */
  credentialKeys: string[];
}

type Row = {
  id: string;
  subscriber: string;
  enabled: number;
  metadata: string | null;
  credentials: string | null;
  created_at: number;
};

export class WorkflowObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    run(
      ctx.storage.sql,
      `CREATE TABLE IF NOT EXISTS subscriptions (
      id TEXT PRIMARY KEY, subscriber TEXT NOT NULL UNIQUE, enabled INTEGER NOT NULL DEFAULT 1,
      metadata TEXT, credentials TEXT, created_at INTEGER NOT NULL)`,
    );
    // lease_until: when the alarm takes the job over from a driver that stopped advancing it.
    run(
      ctx.storage.sql,
      `CREATE TABLE IF NOT EXISTS fan_out_jobs (
      key TEXT PRIMARY KEY, message TEXT NOT NULL, cursor TEXT, lease_until INTEGER NOT NULL)`,
    );
  }

  private async view(row: Row): Promise<Subscription> {
    const credentials = row.credentials
      ? ((await decryptJson(this.env, row.credentials)) as Record<string, unknown>)
      : {};
    return {
      id: row.id,
      subscriber: row.subscriber,
      enabled: row.enabled === 1,
      ...(row.metadata ? { metadata: JSON.parse(row.metadata) } : {}),
      createdAt: new Date(row.created_at).toISOString(),
      credentialKeys: Object.keys(credentials),
    };
  }

  async create(input: {
    subscriber: string;
    metadata?: unknown;
    credentials?: Record<string, Record<string, string>>;
  }): Promise<Subscription | { conflict: true }> {
    if (query(this.ctx.storage.sql, "SELECT id FROM subscriptions WHERE subscriber = ?", input.subscriber).length)
      return { conflict: true };
    const id = `sub_${crypto.randomUUID().replaceAll("-", "")}`;
    const credentials = input.credentials ? await encryptJson(this.env, input.credentials) : null;
    run(
      this.ctx.storage.sql,
      "INSERT INTO subscriptions (id, subscriber, metadata, credentials, created_at) VALUES (?, ?, ?, ?, ?)",
      id,
      input.subscriber,
      input.metadata === undefined ? null : JSON.stringify(input.metadata),
      credentials,
      Date.now(),
    );
    return (await this.get(id))!;
  }

  async get(id: string): Promise<Subscription | undefined> {
    const row = query<Row>(this.ctx.storage.sql, "SELECT * FROM subscriptions WHERE id = ?", id)[0];
    return row ? this.view(row) : undefined;
  }

  /** Oldest first, paged by id cursor. */
  async list(options: {
    after?: string;
    limit: number;
    enabledOnly?: boolean;
  }): Promise<{ subscriptions: Subscription[]; next?: string }> {
    const rows = query<Row>(
      this.ctx.storage.sql,
      `SELECT * FROM subscriptions WHERE id > ? ${options.enabledOnly ? "AND enabled = 1" : ""} ORDER BY id LIMIT ?`,
      options.after ?? "",
      options.limit + 1,
    );
    const page = rows.slice(0, options.limit);
    return {
      subscriptions: await Promise.all(page.map((r) => this.view(r))),
      next: rows.length > options.limit ? page.at(-1)?.id : undefined,
    };
  }

  async setEnabled(id: string, enabled: boolean): Promise<Subscription | undefined> {
    run(this.ctx.storage.sql, "UPDATE subscriptions SET enabled = ? WHERE id = ?", enabled ? 1 : 0, id);
    return this.get(id);
  }

  async remove(id: string): Promise<boolean> {
    const existed = query(this.ctx.storage.sql, "SELECT id FROM subscriptions WHERE id = ?", id).length > 0;
    run(this.ctx.storage.sql, "DELETE FROM subscriptions WHERE id = ?", id);
    return existed;
  }

  // ---- fan-out jobs (decision 0010) ---------------------------------------------------

  /**
   * Records the fan-out of one delivery before its first page is sent, and returns it where it
   * stands: a repeated delivery of a job still open resumes it instead of starting over.
   */
  async beginFanOut(key: string, message: FanOutTemplate): Promise<FanOutJob> {
    run(
      this.ctx.storage.sql,
      "INSERT OR IGNORE INTO fan_out_jobs (key, message, cursor, lease_until) VALUES (?, ?, NULL, ?)",
      key,
      JSON.stringify(message),
      Date.now() + FAN_OUT_LEASE_MS,
    );
    await this.rearm();
    return this.jobs("WHERE key = ?", key)[0]!;
  }

  /**
   * Records that every subscription up to `cursor` was sent; no cursor ends the job. `handOff`:
   * the driver stops after this page (it sent its share), so the alarm takes the job over now.
   */
  async advanceFanOut(key: string, cursor: string | undefined, handOff = false): Promise<void> {
    if (cursor === undefined) run(this.ctx.storage.sql, "DELETE FROM fan_out_jobs WHERE key = ?", key);
    else
      run(
        this.ctx.storage.sql,
        "UPDATE fan_out_jobs SET cursor = ?, lease_until = ? WHERE key = ?",
        cursor,
        handOff ? Date.now() : Date.now() + FAN_OUT_LEASE_MS,
        key,
      );
    await this.rearm();
  }

  /** Finishes the jobs whose driver went quiet (its isolate died, or it failed), from their cursor. */
  override async alarm(): Promise<void> {
    // The alarm is set for the earliest lease; fired early (by a test), it takes that job anyway.
    const due = Math.max(Date.now(), this.earliestLease() ?? 0);
    for (const job of this.jobs("WHERE lease_until <= ?", due)) {
      try {
        await driveFanOut(this, this.env.FANOUT, job);
      } catch (error) {
        // The job keeps its cursor and gets a new lease: the next alarm tries again, for ever.
        console.error(`fan-out ${job.key} stopped; retrying from its cursor`, error);
        run(
          this.ctx.storage.sql,
          "UPDATE fan_out_jobs SET lease_until = ? WHERE key = ?",
          Date.now() + FAN_OUT_LEASE_MS,
          job.key,
        );
      }
    }
    await this.rearm();
  }

  private jobs(where: string, ...params: (string | number)[]): FanOutJob[] {
    return query<{ key: string; message: string; cursor: string | null }>(
      this.ctx.storage.sql,
      `SELECT key, message, cursor FROM fan_out_jobs ${where}`,
      ...params,
    ).map((row) => ({
      key: row.key,
      message: JSON.parse(row.message) as FanOutTemplate,
      ...(row.cursor ? { cursor: row.cursor } : {}),
    }));
  }

  private earliestLease(): number | undefined {
    const row = query<{ at: number | null }>(this.ctx.storage.sql, "SELECT MIN(lease_until) AS at FROM fan_out_jobs");
    return row[0]?.at ?? undefined;
  }

  /** Points the alarm at the earliest lease, or clears it when no job is open. */
  private async rearm(): Promise<void> {
    const earliest = this.earliestLease();
    if (earliest === undefined) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(earliest);
  }

  /** Decrypted credential values of one subscription, for resolving an action's credentials at step time. */
  async credentials(id: string): Promise<Record<string, Record<string, string>>> {
    const row = query<{ credentials: string | null }>(
      this.ctx.storage.sql,
      "SELECT credentials FROM subscriptions WHERE id = ?",
      id,
    )[0];
    return row?.credentials
      ? ((await decryptJson(this.env, row.credentials)) as Record<string, Record<string, string>>)
      : {};
  }
}
