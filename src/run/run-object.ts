// RunObject: one Durable Object per run. It only does I/O: load the log, drive the workflow,
// append, set timers and rearm the alarm. Decisions live in pure modules (the driver, the wake
// plan, hook resume, maintenance); every check-then-write runs in one synchronous segment.
import { DurableObject } from "cloudflare:workers";
import type { OffloadReport } from "../../sdk/engine/offload.ts";
import { FINISHED_STATUSES, isFinishedStatus, type RunStatus } from "../../sdk/engine/run-status.ts";
import type { Env } from "../env.ts";
import type { RunFlowRequest } from "../flow/gate-protocol.ts";
import { RunFlow } from "../flow/run-flow.ts";
import { readConfig } from "../config.ts";
import { resumeOrigin } from "../public-origin.ts";
import { DEFAULT_STEPS_PAGE_SIZE, MAX_INLINE_OUTPUT_BYTES, STEP_BUDGET_PER_PASS } from "../limits.ts";
import { SqlEventLog } from "../log/sql-event-log.ts";
import { checkHookResume } from "./hook-resume.ts";
import { type HookResumeResult, type HookVia, parseHookPayload, resumesNow } from "./hook-payload.ts";
import { HookSchemas } from "./hook-schemas.ts";
import { pushToHistory } from "./history-outbox.ts";
import { newHookToken } from "./ids.ts";
import { watchdogVerdict } from "./maintenance.ts";
import { purgeRun } from "./purge.ts";
import { type RecordRequest, type RecordResult, recordFinishedRun } from "./recorded-run.ts";
import { registry } from "./registry.ts";
import { fail, type Result } from "./result.ts";
import { redriveBlocked } from "./blocked-run.ts";
import { offloadPort, recordOffloadReport, type ReportAnswer } from "./offload-port.ts";
import { drivePass } from "./run-pass.ts";
import { RunStore } from "./run-store.ts";
import { awaitEvents, hookRows, readEvents, readRun } from "./run-reads.ts";
import { markRetried, retrySourceOf, storeSeed } from "./run-retry.ts";
import { type RunRow, summaryOf } from "./run-view.ts";
import { runStartedEvent, type StartRequest, type StartResult } from "./start-request.ts";
import { StatusWaiters } from "./status-waiters.ts";
import { logicalNow, planWake } from "./wake-plan.ts";

export class RunObject extends DurableObject<Env> {
  private readonly store: RunStore;
  private readonly schemas = new HookSchemas();
  private pass?: AbortController;
  private readonly waiters = new StatusWaiters(() => this.row()?.status ?? "");
  private readonly flowControl: RunFlow;
  /** Where this run's large values live in R2. */
  private readonly valuePrefix: string;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.valuePrefix = `runs/${ctx.id.toString()}`;
    this.store = new RunStore(ctx.storage, env.PAYLOADS, this.valuePrefix, () => readConfig(env).retentionMs);
    this.flowControl = new RunFlow({ store: this.store, env, settled: () => this.waiters.notify() });
  }

  private row(): RunRow | undefined {
    return this.store.row();
  }

  private resumeUrl = (token: string) => `${resumeOrigin(this.env, this.row()?.origin)}/hooks/${token}`;
  private hooks = () => hookRows(this.store, this.ctx.storage.sql);

  /** Records the start and arms the alarm; a second start of the same run id returns it as is. */
  async start(request: StartRequest): Promise<Result<StartResult>> {
    // A retry's copied steps: their large values go back to R2 before the synchronous segment.
    const seed = request.seed?.length ? await storeSeed(await this.store.log(), request.seed) : [];
    const result = await this.store.atomically((log): Result<StartResult> => {
      const existing = this.row();
      if (existing) {
        if (request.idempotencyKey && this.store.rows.inputHash() !== request.inputHash)
          return fail("idempotency_conflict", "this Idempotency-Key already started a run with a different input");
        return { ok: true, value: { runId: existing.id, status: existing.status, created: false } };
      }
      const now = Date.now();
      this.store.transaction(() => {
        this.store.rows.insert(request, now);
        log.append(runStartedEvent(request, now));
        for (const { event, options } of seed) log.append(event, options);
      });
      const history = { summary: summaryOf(this.row()!), version: this.store.rows.indexVersion() };
      return { ok: true, value: { runId: request.runId, status: "queued", created: true, history } };
    });
    // Starting goes through the alarm too (a new run's derived `drive` timer, see RunStore): if
    // the isolate dies after the 202, the alarm still fires and the run starts.
    if (result.ok && result.value.created) await this.store.timers.rearm();
    return result;
  }

  override alarm(info?: AlarmInvocationInfo): Promise<void> {
    return this.waiters.settling(() => this.wake(info));
  }

  private async wake(info?: AlarmInvocationInfo): Promise<void> {
    const row = this.row();
    if (!row) return;
    const now = logicalNow(Date.now(), this.store.timers.earliest(), info);
    const fired = this.store.timers.due(now);
    this.store.timers.delete(fired.map((t) => t.key));
    const state = { status: row.status, isRetry: info?.isRetry ?? false, passInFlight: this.pass !== undefined };
    const plan = planWake(state, fired, this.store.timers.kinds());
    // Should the isolate die during the pass, this handler never returns and the runtime
    // retries the alarm (isRetry), which replays the run from its log.
    if (plan.drive)
      await this.runPass(now).then(() => this.flowControl.afterPass(registry.workflows.get(row.workflow)));
    if (plan.purge) return this.purge();
    if (this.store.rows.indexDirty()) await pushToHistory(this.store, this.env);
    await this.store.timers.rearm();
  }

  private async runPass(now: number): Promise<void> {
    const log = await this.store.log();
    const row = this.row();
    // A cancel may have landed while the log loaded: a finished run is never driven again.
    if (!row || isFinishedStatus(row.status)) return;
    const workflow = registry.workflows.get(row.workflow);
    if (!workflow) {
      const message = `workflow ${row.workflow} is no longer deployed`;
      log.append({ type: "run_failed", error: { name: "UnknownWorkflowError", code: "unknown_workflow", message } });
      return;
    }
    if (!(await this.flowControl.admit(workflow, now))) return;
    this.pass = new AbortController();
    const sends: Promise<void>[] = [];
    const options = {
      runId: row.id,
      now,
      stepBudget: STEP_BUDGET_PER_PASS,
      // Without R2 every output must fit in its SQLite row.
      ...(this.env.PAYLOADS ? {} : { limits: { maxOutputBytes: MAX_INLINE_OUTPUT_BYTES } }),
      signal: this.pass.signal,
      hookSchemas: this.schemas.byToken,
      newToken: () => newHookToken(this.ctx.id.toString()),
      resumeUrl: this.resumeUrl,
      offload: offloadPort(this.env, sends),
    };
    try {
      await drivePass(this.store, log, workflow, options, row.started_at ?? now);
    } finally {
      this.pass = undefined;
      // Offloaded attempts are on their way once sent; nothing of them is awaited after that.
      await Promise.all(sends);
    }
  }

  /** Deletes the run (purge.ts); nothing else runs on this object meanwhile. */
  private purge(): Promise<void> {
    this.schemas.byToken.clear();
    return this.ctx.blockConcurrencyWhile(() => purgeRun(this.ctx, this.env, this.store, this.valuePrefix));
  }

  /**
   * Called by the periodic sweep: a live run with no pass in flight and nothing armed to wake it
   * is stalled (its alarm was lost). Re-arm it and say so in its log.
   */
  async watchdog(): Promise<"finished" | "healthy" | "waiting" | "recovered"> {
    const alarmSet = (await this.ctx.storage.getAlarm()) !== null;
    const verdict = await this.store.atomically((log) => {
      const earliestTimer = this.store.timers.earliest();
      const found = watchdogVerdict(this.row(), { passInFlight: this.pass !== undefined, alarmSet, earliestTimer });
      if (found.kind !== "stalled") return found.kind;
      this.store.transaction(() => {
        log.append({ type: "run_stall_detected", detail: found.detail });
        this.store.timers.set("drive", "drive", Date.now());
      });
      return "recovered" as const;
    });
    if (verdict === "recovered") await this.store.timers.rearm();
    return verdict;
  }

  /** Asks a blocked run to try its replay again now (blocked-run.ts); 409 `run_not_blocked` otherwise. */
  redriveBlocked() {
    return redriveBlocked(this.store);
  }

  /** Resolves once the log has more than `after` events (or the run is finished, or time is up). */
  waitForEvents(after: number, timeoutMs: number): Promise<{ length: number; finished: boolean }> {
    return awaitEvents(this.store, after, timeoutMs);
  }

  get(options: Parameters<typeof readRun>[2]) {
    return readRun(this.store, this.resumeUrl, options);
  }

  events(after: number, limit: number) {
    return readEvents(this.store, after, limit);
  }

  /** What a retry of this failed or canceled run starts from (run-retry.ts). */
  retrySource(fromStep?: string) {
    return retrySourceOf(this.store, fromStep);
  }

  /** Records in this finished run's log that run `by` retries it (`via`: a bulk job asked). */
  markRetriedBy(by: string, reason?: string, via?: string) {
    return markRetried(this.store, by, reason, via);
  }

  /**
   * Resolves with the run once its status is one of `until` (default: finished), or after
   * `timeoutMs` with where it stands.
   */
  async waitFor(
    timeoutMs: number,
    showTokens: boolean,
    until: string[] = [...FINISHED_STATUSES],
    read: { includeTrace?: boolean; steps?: { limit: number; after?: string } } = {},
  ) {
    if (this.row()) await this.waiters.until(new Set(until), timeoutMs);
    // One page of steps, as GET /runs/:id answers: a 100,000-step run's record stays small.
    return this.get({ showTokens, ...read, steps: read.steps ?? { limit: DEFAULT_STEPS_PAGE_SIZE } });
  }

  /** Storage this run uses: the SQLite file and the bytes of its event rows (for benchmarks and ops). */
  async storageStats() {
    return SqlEventLog.storageStats(this.ctx.storage.sql, this.store.schema);
  }

  /** `by` names who cancels (`bulk:<id>`); the same `by` canceling again finds it done, not 409. */
  cancel(reason?: string, by?: string): Promise<Result<{ runId: string; status: RunStatus }>> {
    return this.waiters.settling(() => this.cancelNow(reason, by));
  }

  private async cancelNow(reason?: string, by?: string): Promise<Result<{ runId: string; status: RunStatus }>> {
    const result = await this.store.atomically((log): Result<{ runId: string; status: RunStatus }> => {
      const row = this.row();
      if (!row) return fail("run_not_found", "no run with this id");
      if (by && log.events.some((e) => e.type === "run_canceled" && e.by === by))
        return { ok: true, value: { runId: row.id, status: "canceled" } };
      if (isFinishedStatus(row.status))
        return fail("run_finished", `the run already finished with status ${row.status}`);
      log.append({ type: "run_canceled", ...(reason ? { reason } : {}), ...(by ? { by } : {}) });
      // The pass in flight (if any) ends now and records nothing more.
      this.pass?.abort();
      return { ok: true, value: { runId: row.id, status: "canceled" } };
    });
    if (!result.ok) return result;
    await pushToHistory(this.store, this.env);
    await this.flowControl.release().catch(() => undefined);
    await this.store.timers.rearm();
    return result;
  }

  /**
   * Resumes a hook: the token is the credential, checked in constant time; single use. `via`: a
   * GET link or a prefetch answers what a POST would record instead (hook-payload.ts `resumesNow`).
   */
  async resumeHook(
    token: string,
    payload: unknown,
    source: "body" | "query",
    via: HookVia = "post",
  ): Promise<Result<HookResumeResult>> {
    // An unknown or closed hook is answered before the schema probe runs any workflow code.
    const early = await this.store.atomically(() => checkHookResume(this.row(), this.hooks(), token, Date.now()));
    if (!early.ok) return early;
    const schema = await this.store.atomically((log) => {
      const row = this.row();
      return row && this.schemas.of(token, row, log, this.resumeUrl);
    });
    const parsed = parseHookPayload(schema, payload, source);
    if (!parsed.ok) return parsed;
    if (!resumesNow(via, (await this.store.log()).events, token))
      return { ok: true, value: { runId: this.row()!.id, resumed: false, payload: parsed.value } };
    // The probe awaited: another resume, a cancel or a timeout may have landed since. The check
    // that counts and the write happen together, so exactly one resume wins.
    const result = await this.store.atomically((log): Result<HookResumeResult> => {
      const check = checkHookResume(this.row(), this.hooks(), token, Date.now());
      if (!check.ok) return check;
      this.store.transaction(() => {
        log.append({ type: "hook_resumed", stepId: check.value.step_id, payload: parsed.value });
        this.store.timers.set("drive", "drive", Date.now());
      });
      return { ok: true, value: { runId: this.row()!.id, resumed: true } };
    });
    if (result.ok) await this.store.timers.rearm();
    return result;
  }

  /** An offloaded step attempt's outcome (decision 0023): recorded once, for the attempt in flight only. */
  async reportOffloadedStep(stepId: string, attempt: number, report: OffloadReport): Promise<ReportAnswer> {
    const answer = await recordOffloadReport(this.store, this.env, stepId, attempt, report);
    if (answer.recorded) await this.store.timers.rearm();
    return answer;
  }

  /** A flow-control gate's request: wake, status or skip (src/flow/run-flow.ts). */
  flow(request: RunFlowRequest): Promise<string> {
    return this.flowControl.handle(request);
  }

  /** Stores a run that finished inline (a workflow an agent ran as its tool); see recorded-run.ts. */
  async record(request: RecordRequest): Promise<Result<RecordResult>> {
    return recordFinishedRun(this.store, request);
  }
}
