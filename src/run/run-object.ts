// RunObject: one Durable Object per run. It only does I/O: load the log, drive the workflow,
// append, set timers and rearm the alarm. Every decision lives in the pure driver.
import { DurableObject } from "cloudflare:workers";
import { drive, type DriveOutcome, type Wait } from "../../sdk/engine/driver.ts";
import type { TriggerInfo } from "../../sdk/engine/events.ts";
import type { HookOptions } from "../../sdk/engine/scope.ts";
import { type Env, historyIndex } from "../env.ts";
import {
  DEFAULT_RETENTION_DAYS,
  INDEX_RETRY_DELAY_MS,
  MAX_INLINE_OUTPUT_BYTES,
  STEP_BUDGET_PER_PASS,
} from "../limits.ts";
import { SqlEventLog } from "../log/sql-event-log.ts";
import { query } from "../log/sql.ts";
import { parseHookPayload } from "./hook-payload.ts";
import { RunStore } from "./run-store.ts";
import { StatusWaiters } from "./status-waiters.ts";
import { planSuspension } from "./suspension.ts";
import { buildTrace, type Span } from "./trace.ts";
import { newHookToken, safeEqual } from "./ids.ts";
import { registry } from "./registry.ts";
import type { Failure, Result } from "./result.ts";
import {
  type RunRow,
  type RunStatus,
  type RunSummary,
  type RunView,
  runView,
  summaryOf,
  TERMINAL_STATUSES,
} from "./run-view.ts";

export interface StartRequest {
  runId: string;
  workflow: string;
  input: unknown;
  inputHash: string;
  trigger: TriggerInfo;
  origin?: string;
  idempotencyKey?: string;
  subscription?: { id: string; subscriber: string };
}

export interface StartResult {
  runId: string;
  status: RunStatus;
  created: boolean;
  /** For a new run: its history entry and version, for the caller to record at once. */
  history?: { summary: RunSummary; version: number };
}

type HookRow = { step_id: string; token: string; status: string; timeout_at: number | null };

export class RunObject extends DurableObject<Env> {
  private readonly store: RunStore;
  private readonly hookSchemas = new Map<string, HookOptions<unknown>["schema"]>();
  private pass?: AbortController;
  private readonly waiters = new StatusWaiters();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new RunStore(ctx.storage, env.PAYLOADS, `runs/${ctx.id.toString()}`);
  }

  private row(): RunRow | undefined {
    return this.store.row();
  }

  private origin(row: RunRow | undefined): string {
    return (this.env.PUBLIC_URL ?? row?.origin ?? "http://127.0.0.1:8787").replace(/\/$/, "");
  }

  private resumeUrl = (token: string) => `${this.origin(this.row())}/hooks/${token}`;

  // ---- start -------------------------------------------------------------------------

  /** Records the start and arms the alarm; a second start of the same run id returns it as is. */
  async start(request: StartRequest): Promise<Result<StartResult>> {
    const log = await this.store.log();
    const existing = this.row();
    if (existing) {
      const sameStart = this.store.rows.inputHash() === request.inputHash;
      if (request.idempotencyKey && !sameStart) {
        return fail("idempotency_conflict", "this Idempotency-Key already started a run with a different input");
      }
      return { ok: true, value: { runId: existing.id, status: existing.status, created: false } };
    }
    const now = Date.now();
    this.store.transaction(() => {
      this.store.rows.insert(request, now);
      log.append({
        type: "run_started",
        workflow: request.workflow,
        input: request.input,
        trigger: request.trigger,
        triggeredAt: now,
        ...(request.subscription ? { subscription: request.subscription } : {}),
      });
      // Starting goes through the alarm too: if the isolate dies after the 202, the alarm
      // still fires and the run starts.
      this.store.timers.set("drive", "drive", now);
    });
    await this.store.timers.rearm();
    const history = { summary: summaryOf(this.row()!), version: this.store.rows.indexVersion() };
    return { ok: true, value: { runId: request.runId, status: "queued", created: true, history } };
  }

  // ---- the alarm: the only wake-up ----------------------------------------------------

  override async alarm(info?: AlarmInvocationInfo): Promise<void> {
    const row = this.row();
    if (!row) return;
    const now = Date.now();
    // An alarm fired ahead of time (a test firing it) advances the run's clock to the
    // earliest timer, so the driver never sees a timer as due before its time.
    const logicalNow = Math.max(now, this.store.timers.earliest() ?? now);
    const fired = this.store.timers.due(logicalNow);
    this.store.timers.delete(fired.map((t) => t.key));
    // A pass cut off mid-way is replayed (decision 0008). After a process restart its alarm fires
    // again without isRetry and its timers are gone: a queued or running run with no timer left
    // (a backoff or yield keeps one) and no pass in flight here is the tell.
    const cutOff =
      !this.pass &&
      (row.status === "queued" || row.status === "running") &&
      this.store.timers.earliest(["index", "retention", "hook_timeout"]) === undefined;
    const interrupted = info?.isRetry || cutOff;
    const wantsDrive = interrupted || fired.some((t) => t.kind !== "index" && t.kind !== "retention");
    // Should the isolate die during the pass, this handler never returns and the runtime
    // retries the alarm (isRetry), which replays the run from its log.
    if (wantsDrive && !TERMINAL_STATUSES.has(row.status)) await this.runPass(logicalNow);
    if (fired.some((t) => t.kind === "retention") && TERMINAL_STATUSES.has(this.row()?.status ?? "")) {
      await this.purge();
      return;
    }
    this.scheduleRetention();
    if (this.store.rows.indexDirty()) await this.pushIndex();
    await this.store.timers.rearm();
    // Waiters hear of the new status only once the next alarm is armed, so whoever reacts
    // (a test firing the alarm, a client) sees the run's timers in place.
    this.settled();
  }

  private async runPass(now: number): Promise<void> {
    const log = await this.store.log();
    const row = this.row()!;
    const workflow = registry.workflows.get(row.workflow);
    if (!workflow) {
      log.append({
        type: "run_failed",
        error: {
          name: "UnknownWorkflowError",
          code: "unknown_workflow",
          message: `workflow ${row.workflow} is no longer deployed`,
        },
      });
      return;
    }
    this.store.rows.setStatus("running", null, row.started_at ?? now);
    this.pass = new AbortController();
    let outcome: DriveOutcome;
    try {
      outcome = await drive(workflow, log, {
        runId: row.id,
        now,
        stepBudget: STEP_BUDGET_PER_PASS,
        // Without R2 every output must fit in its SQLite row.
        ...(this.env.PAYLOADS ? {} : { limits: { maxOutputBytes: MAX_INLINE_OUTPUT_BYTES } }),
        signal: this.pass.signal,
        hookSchemas: this.hookSchemas,
        newToken: () => newHookToken(this.ctx.id.toString()),
        resumeUrl: this.resumeUrl,
      });
    } catch (error) {
      // The log failed to record (the driver ended the pass): SQLite may have rolled back more
      // than the failed write, so the memory of this object is dropped and the alarm's retry
      // replays the run from storage.
      this.store.forget();
      throw error;
    } finally {
      this.pass = undefined;
    }
    if (outcome.status === "suspended") this.suspend(outcome.waits);
  }

  /** Turns the pass's waits into timers and the status the run shows while it waits. */
  private suspend(waits: Wait[]): void {
    if (TERMINAL_STATUSES.has(this.row()?.status ?? "")) return;
    const plan = planSuspension(waits);
    this.store.transaction(() => {
      for (const timer of plan.timers) this.store.timers.set(timer.key, timer.kind, timer.dueAt);
      this.store.rows.setStatus(plan.status, plan.wakeAt);
    });
  }

  /** Wakes the callers waiting for the status the run now has. */
  private settled(): void {
    this.waiters.notify(this.row()?.status ?? "");
  }

  // ---- retention and the watchdog ---------------------------------------------------

  /** A finished run is deleted after the retention period; a live run never is. */
  private scheduleRetention(): void {
    const row = this.row();
    if (!row?.finished_at || !TERMINAL_STATUSES.has(row.status)) return;
    const days = Number(this.env.CAIRN_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS);
    this.store.timers.set("retention", "retention", row.finished_at + days * 86_400_000);
  }

  /** Deletes the run: its large values in R2, its history entry, then all of its storage. */
  private async purge(): Promise<void> {
    const row = this.row()!;
    // R2 deletes of keys already gone are no-ops, so a purge cut off anywhere can run again.
    const keys = SqlEventLog.largeValueKeys(this.ctx.storage.sql);
    if (keys.length && this.env.PAYLOADS) await this.env.PAYLOADS.delete(keys);
    await historyIndex(this.env).remove(row.id);
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.store.reset();
    this.hookSchemas.clear();
  }

  /**
   * Called by the periodic sweep: a live run with no pass in flight and nothing armed to wake
   * it is stalled (its alarm was lost). Re-arm it and say so in its log.
   */
  async watchdog(): Promise<"finished" | "healthy" | "waiting" | "recovered"> {
    const row = this.row();
    if (!row || TERMINAL_STATUSES.has(row.status)) return "finished";
    if (this.pass || (await this.ctx.storage.getAlarm()) !== null) return "healthy";
    const earliest = this.store.timers.earliest();
    if (earliest === undefined && row.status === "waiting_on_hook") return "waiting";
    const log = await this.store.log();
    const detail =
      earliest === undefined ? `status ${row.status} with no timer and no alarm` : "a timer was due with no alarm set";
    this.store.transaction(() => {
      log.append({ type: "run_stall_detected", detail });
      this.store.timers.set("drive", "drive", Date.now());
    });
    await this.store.timers.rearm();
    return "recovered";
  }

  // ---- the run index outbox -----------------------------------------------------------

  /** Sends the run's summary to the history index; a failure leaves a timer that retries it. */
  private async pushIndex(): Promise<void> {
    const row = this.row();
    if (!row) return;
    const version = this.store.rows.indexVersion();
    try {
      await historyIndex(this.env).upsert(summaryOf(row), version);
      this.store.rows.markIndexed(version);
    } catch {
      this.store.timers.set("index", "index", Date.now() + INDEX_RETRY_DELAY_MS);
    }
  }

  // ---- reads --------------------------------------------------------------------------

  /** Resolves once the log has more than `after` events (or the run is finished, or time is up). */
  async waitForEvents(after: number, timeoutMs: number): Promise<{ length: number; finished: boolean }> {
    const log = await this.store.log();
    if (log.events.length <= after && !TERMINAL_STATUSES.has(this.row()?.status ?? "")) {
      await new Promise<void>((resolve) => {
        const done = () => {
          unsubscribe();
          clearTimeout(timer);
          resolve();
        };
        const unsubscribe = log.subscribe(done);
        const timer = setTimeout(done, timeoutMs);
      });
    }
    return { length: log.events.length, finished: TERMINAL_STATUSES.has(this.row()?.status ?? "") };
  }

  async get(options: { showTokens: boolean; includeTrace?: boolean }): Promise<Result<RunView & { trace?: Span[] }>> {
    const log = await this.store.log();
    const row = this.row();
    if (!row) return fail("run_not_found", "no run with this id");
    return {
      ok: true,
      value: {
        ...runView(row, log.events, { resumeUrl: this.resumeUrl, showTokens: options.showTokens }),
        ...(options.includeTrace ? { trace: buildTrace(log.events) } : {}),
      },
    };
  }

  async events(after: number, limit: number) {
    const log = await this.store.log();
    if (!this.row()) return fail("run_not_found", "no run with this id");
    const page = log.events.slice(after, after + limit);
    const next = after + page.length < log.events.length ? after + page.length : undefined;
    return { ok: true as const, value: { events: page, next } };
  }

  /**
   * Resolves with the run once its status is one of `until` (default: finished), or after
   * `timeoutMs` with where it stands.
   */
  async waitFor(
    timeoutMs: number,
    showTokens: boolean,
    until: string[] = [...TERMINAL_STATUSES],
  ): Promise<Result<RunView>> {
    const row = this.row();
    const statuses = new Set(until);
    if (row && !statuses.has(row.status)) await this.waiters.wait(statuses, timeoutMs);
    return this.get({ showTokens });
  }

  /** Storage this run uses: the SQLite file and the bytes of its event rows (for benchmarks and ops). */
  async storageStats(): Promise<{ databaseBytes: number; events: number; eventBytes: number }> {
    const row = query<{ n: number; bytes: number | null }>(
      this.ctx.storage.sql,
      "SELECT COUNT(*) AS n, SUM(LENGTH(data) + LENGTH(type) + COALESCE(LENGTH(step_id), 0) + 24) AS bytes FROM events",
    )[0];
    return { databaseBytes: this.ctx.storage.sql.databaseSize, events: row?.n ?? 0, eventBytes: row?.bytes ?? 0 };
  }

  // ---- writes from outside ------------------------------------------------------------

  async cancel(reason?: string): Promise<Result<{ runId: string; status: RunStatus }>> {
    const log = await this.store.log();
    const row = this.row();
    if (!row) return fail("run_not_found", "no run with this id");
    if (TERMINAL_STATUSES.has(row.status))
      return fail("run_finished", `the run already finished with status ${row.status}`);
    log.append({ type: "run_canceled", ...(reason ? { reason } : {}) });
    this.pass?.abort();
    this.scheduleRetention();
    await this.pushIndex();
    await this.store.timers.rearm();
    this.settled();
    return { ok: true, value: { runId: row.id, status: "canceled" } };
  }

  /** Resumes a hook: the token is the credential, checked in constant time; single use. */
  async resumeHook(token: string, payload: unknown, source: "body" | "query"): Promise<Result<{ runId: string }>> {
    const log = await this.store.log();
    const row = this.row();
    const hooks = query<HookRow>(this.ctx.storage.sql, "SELECT step_id, token, status, timeout_at FROM hooks");
    const hook = hooks.find((candidate) => safeEqual(candidate.token, token));
    if (!row || !hook) return fail("hook_not_found", "no hook with this token");
    if (hook.status === "resumed") return fail("hook_already_resumed", "this hook was already resumed");
    if (hook.status !== "open" || TERMINAL_STATUSES.has(row.status))
      return fail("hook_not_found", "this hook is closed: its run finished or it timed out");
    if (hook.timeout_at !== null && hook.timeout_at <= Date.now()) return fail("hook_not_found", "this hook timed out");
    const schema = await this.hookSchema(token);
    const parsed = parseHookPayload(schema, payload, source);
    if (!parsed.ok) return parsed;
    this.store.transaction(() => {
      log.append({ type: "hook_resumed", stepId: hook.step_id, payload: parsed.value });
      this.store.timers.set("drive", "drive", Date.now());
    });
    await this.store.timers.rearm();
    return { ok: true, value: { runId: row.id } };
  }

  /** The hook's schema lives in the workflow's code: a side-effect-free replay recovers it. */
  private async hookSchema(token: string): Promise<HookOptions<unknown>["schema"]> {
    const log = await this.store.log();
    if (this.hookSchemas.has(token)) return this.hookSchemas.get(token);
    const created = log.events.find((e) => e.type === "hook_created" && e.token === token);
    if (created?.type !== "hook_created" || created.schema === undefined) return undefined;
    const row = this.row()!;
    const workflow = registry.workflows.get(row.workflow);
    if (workflow) {
      await drive(workflow, log, {
        runId: row.id,
        probe: true,
        hookSchemas: this.hookSchemas,
        resumeUrl: this.resumeUrl,
      });
    }
    return this.hookSchemas.get(token);
  }
}

function fail(code: string, message: string, details?: unknown): Failure {
  return { ok: false, error: { code, message, ...(details === undefined ? {} : { details }) } };
}
