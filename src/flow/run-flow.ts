// A run's side of flow control: before a pass, the stages it must get through (pause, singleton,
// debounce, batch, rate limit, concurrency); after it, the slots it gives back. The gates hold the
// truth and answer idempotently by run id, so a pass cut off anywhere here just asks again.
import type { RunEvent, TriggerInfo } from "../../sdk/engine/events.ts";
import { type FlowSpec, type FlowStage, flowSpecOf } from "../../sdk/engine/flow-spec.ts";
import { isFinishedStatus } from "../../sdk/engine/run-status.ts";
import type { WorkflowDefinition } from "../../sdk/workflow-types.ts";
import { type Env, historyIndex } from "../env.ts";
import { FLOW_PARK_RECHECK_MS } from "../limits.ts";
import { keyScope } from "../run/ids.ts";
import { pushToHistory } from "../run/history-outbox.ts";
import { registry } from "../run/registry.ts";
import type { RunStore } from "../run/run-store.ts";
import { FlowKeyError, flowKeys, flowPriority } from "./flow-keys.ts";
import { type GateId, type GateReply, type GateRequest, gateName, type RunFlowRequest } from "./gate-protocol.ts";
import { inputForKeys } from "./flow-input.ts";

type Queued = Extract<RunEvent, { type: "run_queued" }>;
type Hold = { reason: Queued["reason"]; key?: string; until?: number; position?: number };
type Skip = Omit<Extract<RunEvent, { type: "run_skipped" }>, "seq" | "at" | "type">;

/** What the run object lends its flow control. */
export interface RunFlowHost {
  readonly store: RunStore;
  readonly env: Env;
  /** Wakes the callers waiting on the run's status. */
  settled(): void;
}

/** Sends a request to the gate it names. */
export async function callGate(env: Env, request: Extract<GateRequest, { gate: GateId }>): Promise<GateReply> {
  const stub = env.INDEX.get(env.INDEX.idFromName(gateName(request.gate)));
  return (await stub.flowGate(request)) as GateReply;
}

export class RunFlow {
  constructor(private readonly host: RunFlowHost) {}

  private get store() {
    return this.host.store;
  }

  /**
   * Runs the stages the run has not passed yet. True: drive the pass now. False: the run was held
   * back (status `queued`, a timer set for when it may go or should ask again) or finished here.
   */
  async admit(workflow: WorkflowDefinition, now: number): Promise<boolean> {
    const row = this.store.row();
    if (!row) return false;
    const spec = flowSpecOf(workflow);
    const first = row.started_at === null;
    if (!spec && !first) return true;
    const log = await this.store.log();
    const started = log.events.find((e) => e.type === "run_started");
    const trigger = JSON.parse(row.trigger) as TriggerInfo;
    const lastHold = log.events.findLast((e): e is Queued => e.type === "run_queued");
    const passed = new Set<string>(first ? (lastHold?.passed ?? []) : FLOW_ONE_SHOT);
    const hold = (h: Hold, keys?: Record<string, string>) => this.hold(h, [...passed], keys, now);

    // Released by a resume: the pause is behind it (no second look at the shard).
    if (pauseHold(log.events) === "released") passed.add("paused");
    if (!passed.has("paused")) {
      const paused = await historyIndex(this.host.env, row.id).pauseCheck(workflow.slug, {
        runId: row.id,
        acceptedAt: row.created_at,
      });
      if (paused) return hold({ reason: "paused" });
      passed.add("paused");
    }
    if (!spec) return true;

    let keys: Record<string, string>;
    let priority: number;
    const input = inputForKeys(workflow, started?.type === "run_started" ? started.input : undefined);
    try {
      keys = flowKeys(spec, input) as Record<string, string>;
      priority = flowPriority(spec, input);
    } catch (error) {
      if (!(error instanceof FlowKeyError)) throw error;
      return this.end({ type: "run_failed", error: { name: error.name, code: error.code, message: error.message } });
    }
    const gate = (stage: GateId["stage"]): GateId => ({ workflow: workflow.slug, stage, key: keys[stage] ?? "" });
    const env = this.host.env;
    const isItem = spec.batch !== undefined && trigger.batchId === undefined;

    if (spec.batch && isItem && !passed.has("batch")) {
      const r = await callGate(env, {
        op: "batch",
        gate: gate("batch"),
        runId: row.id,
        items: Array.isArray(input) ? input : [input],
        trigger,
        maxSize: spec.batch.maxSize,
        maxWaitMs: spec.batch.maxWaitMs,
        runScope: keyScope(workflow.slug, trigger.type === "api" ? "api" : "trigger"),
      });
      const by = r.verdict === "batched" ? r.by : undefined;
      return this.skip({ reason: "batched", key: keys.batch, by, message: `collected into batch run ${by}` });
    }
    if (spec.singleton && !passed.has("singleton")) {
      const r = await callGate(env, { op: "claim", gate: gate("singleton"), runId: row.id, mode: spec.singleton.mode });
      if (r.verdict === "skip")
        return this.skip({
          reason: "singleton",
          key: keys.singleton,
          by: r.by,
          message: `run ${r.by} is live for this key`,
        });
      passed.add("singleton");
    }
    if (spec.debounce && !passed.has("debounce")) {
      const { periodMs, maxWaitMs } = spec.debounce;
      const r = await callGate(env, { op: "debounce", gate: gate("debounce"), runId: row.id, periodMs, maxWaitMs });
      if (r.verdict === "skip")
        return this.skip({
          reason: "debounced",
          key: keys.debounce,
          by: r.by,
          message: `a later start (${r.by}) took its place`,
        });
      if (r.verdict === "wait") return hold({ reason: "debounce", key: keys.debounce, until: r.until }, keys);
      passed.add("debounce");
    }
    // A delayed start's reservation is its hold's `until`; one that went at once records it on admission.
    let reservedAt: number | undefined = lastHold?.reason === "rate_limit" ? lastHold.until : undefined;
    if (spec.rateLimit && !passed.has("rate_limit")) {
      const { limit, periodMs, mode } = spec.rateLimit;
      const request = {
        op: "reserve",
        gate: gate("rate_limit"),
        runId: row.id,
        limit,
        periodMs,
        drop: mode === "drop",
      };
      const r = await callGate(env, request as GateRequest & { op: "reserve" });
      if (r.verdict === "skip")
        return this.skip({
          reason: "rate_limited",
          key: keys.rate_limit,
          message: `over ${limit} starts per ${periodMs} ms`,
        });
      if (r.verdict === "wait") return hold({ reason: "rate_limit", key: keys.rate_limit, until: r.until }, keys);
      passed.add("rate_limit");
      reservedAt = r.verdict === "pass" ? r.at : undefined;
    }
    if (spec.concurrency) {
      const limit = spec.concurrency.limit;
      const r = await callGate(env, { op: "acquire", gate: gate("concurrency"), runId: row.id, priority, limit });
      if (r.verdict === "wait")
        return hold({ reason: "concurrency", key: keys.concurrency, position: r.position }, keys);
    }
    if (first && !log.events.some((e) => e.type === "run_admitted"))
      await this.store.atomically((current) => {
        if (!isFinishedStatus(this.store.row()?.status))
          current.append({ type: "run_admitted", keys, ...(reservedAt !== undefined ? { reservedAt } : {}) });
      });
    return !isFinishedStatus(this.store.row()?.status);
  }

  /** Parks the run: status `queued`, the reason in its log, and a timer for when to go (or ask again). */
  private async hold(h: Hold, passed: string[], keys: Record<string, string> | undefined, now: number) {
    await this.store.atomically((log) => {
      const row = this.store.row();
      if (!row || isFinishedStatus(row.status)) return;
      const last = log.events.findLast((e): e is Queued => e.type === "run_queued");
      const same =
        last && last.reason === h.reason && last.key === h.key && last.until === h.until && row.status === "queued";
      this.store.transaction(() => {
        if (!same)
          log.append({
            type: "run_queued",
            reason: h.reason,
            ...(h.key ? { key: h.key } : {}),
            ...(h.until !== undefined ? { until: h.until } : {}),
            ...(h.position !== undefined ? { position: h.position } : {}),
            ...(passed.length ? { passed } : {}),
            ...(keys && Object.keys(keys).length ? { keys } : {}),
          });
        this.store.timers.set("drive", "drive", h.until ?? now + FLOW_PARK_RECHECK_MS);
        this.store.rows.setStatus("queued", h.until ?? null);
      });
    });
    return false;
  }

  private skip(skip: Skip): Promise<false> {
    return this.end({ type: "run_skipped", ...skip });
  }

  /** Finishes the run here, before it executed anything (a skip, or a key function that failed). */
  private async end(event: Parameters<Awaited<ReturnType<RunStore["log"]>>["append"]>[0]): Promise<false> {
    await this.store.atomically((log) => {
      if (isFinishedStatus(this.store.row()?.status)) return;
      const clean = Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined));
      this.store.transaction(() => log.append(clean as typeof event));
    });
    await this.release();
    return false;
  }

  /**
   * After a pass: a finished run gives every gate back; one that went to sleep or waits on a hook
   * gives its concurrency slot back unless `holdWhileWaiting`.
   */
  async afterPass(workflow: WorkflowDefinition | undefined): Promise<void> {
    const spec = workflow && flowSpecOf(workflow);
    const status = this.store.row()?.status;
    if (!workflow || !spec || (!spec.concurrency && !spec.singleton && !spec.debounce)) return;
    if (isFinishedStatus(status)) return this.release(spec, workflow);
    if (
      (status === "sleeping" || status === "waiting_on_hook") &&
      spec.concurrency &&
      !spec.concurrency.holdWhileWaiting
    )
      await this.releaseStage(spec, workflow, "concurrency");
  }

  /** Gives back everything the run holds (it finished or was canceled); idempotent at each gate. */
  async release(spec?: FlowSpec, workflow?: WorkflowDefinition): Promise<void> {
    const wf = workflow ?? registry.workflows.get(this.store.row()?.workflow ?? "");
    const s = spec ?? (wf && flowSpecOf(wf));
    if (!wf || !s) return;
    await Promise.all(
      (["singleton", "debounce", "concurrency"] as const).map((stage) => this.releaseStage(s, wf, stage)),
    );
  }

  private async releaseStage(spec: FlowSpec, workflow: WorkflowDefinition, stage: GateId["stage"]): Promise<void> {
    const option = stage === "rate_limit" ? spec.rateLimit : spec[stage];
    const row = this.store.row();
    if (!option || !row) return;
    const log = await this.store.log();
    const started = log.events.find((e) => e.type === "run_started");
    let key: string;
    try {
      const input = inputForKeys(workflow, started?.type === "run_started" ? started.input : undefined);
      key = flowKeys(spec, input)[stage] ?? "";
    } catch {
      return;
    }
    await callGate(this.host.env, { op: "release", gate: { workflow: workflow.slug, stage, key }, runId: row.id });
  }

  /** A gate's request: wake (a slot was granted), status (is it finished?), skip (superseded). */
  async handle(request: RunFlowRequest): Promise<string> {
    const row = this.store.row();
    if (!row) return "missing";
    if (isFinishedStatus(row.status)) return "finished";
    if (request.op === "status") return "live";
    if (request.op === "wake") {
      const released = request.released;
      await this.store.atomically((log) => {
        // Loading the log awaited: the run may have finished meanwhile.
        if (isFinishedStatus(this.store.row()?.status)) return;
        this.store.transaction(() => {
          if (released && pauseHold(log.events) === "held")
            log.append({
              type: "run_released",
              position: released.position,
              ...(released.by ? { by: released.by } : {}),
            });
          this.store.timers.set("drive", "drive", Date.now());
        });
      });
      await this.store.timers.rearm();
      return "woken";
    }
    if (row.started_at !== null) return "live";
    await this.skip({
      reason: request.reason,
      key: request.key,
      by: request.by,
      message: `a later start (${request.by}) took its place`,
    });
    await pushToHistory(this.store, this.host.env);
    await this.store.timers.rearm();
    this.host.settled();
    return "finished";
  }
}

/** Stages a run passes once, before its first pass; only concurrency is asked again on later passes. */
const FLOW_ONE_SHOT: readonly FlowStage[] = ["paused", "singleton", "debounce", "batch", "rate_limit"];

/** Whether the run's last hold is a pause, and whether a resume has released it since. */
function pauseHold(events: readonly RunEvent[]): "held" | "released" | undefined {
  let released = false;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === "run_released") released = true;
    else if (event.type === "run_queued") return event.reason !== "paused" ? undefined : released ? "released" : "held";
  }
  return undefined;
}
