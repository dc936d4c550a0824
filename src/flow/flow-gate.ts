// FlowGate: the flow-control state of one (workflow, stage, key), hosted in a Durable Object of
// the INDEX namespace under its own name (decision 0020). Decisions are synchronous segments over
// its SQLite; waking runs, canceling a replaced singleton and starting a batch's run happen after,
// and the gate's alarm retries them, and audits its slot holders, until they are done.
import type { Env } from "../env.ts";
import { FLOW_HOLDER_AUDIT_MS, FLOW_NOTIFY_RETRY_MS } from "../limits.ts";
import { query, run } from "../log/sql.ts";
import { registry } from "../run/registry.ts";
import { runIdForKey } from "../run/ids.ts";
import { startRun } from "../run/start-run.ts";
import {
  addToBatch,
  batchesSpanned,
  batchIdFor,
  batchPruneDueAt,
  closeDueBatch,
  closedBatches,
  forgetBatch,
  openBatchDueAt,
  pruneBatches,
} from "./batch-gate.ts";
import { acquireSlot, holderIds, markNotified, releaseSlot, slotCounts, unnotified } from "./concurrency-slots.ts";
import type { GateId, GateReply, GateRequest, GateStats, RunFlowRequest } from "./gate-protocol.ts";
import { createGateTables } from "./gate-schema.ts";
import { reportQueue } from "./queue-directory.ts";
import { debounceStart, releaseStart, reserveStart, setSingletonHolder, singletonHolder } from "./start-gates.ts";

/** Runs woken per round of the notify loop. */
const NOTIFY_BATCH = 32;

export class FlowGate {
  private ready = false;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {}

  private get sql(): SqlStorage {
    if (!this.ready) {
      createGateTables(this.ctx.storage.sql);
      this.ready = true;
    }
    return this.ctx.storage.sql;
  }

  private run(runId: string) {
    return this.env.RUNS.get(this.env.RUNS.idFromName(runId));
  }

  private async ask(runId: string, request: RunFlowRequest): Promise<string> {
    return (await this.run(runId).flow(request)) as string;
  }

  private remember(gate: GateId, limit?: number): void {
    run(this.sql, "INSERT OR REPLACE INTO flow_meta (k, v) VALUES ('gate', ?)", JSON.stringify(gate));
    if (limit !== undefined)
      run(this.sql, "INSERT OR REPLACE INTO flow_meta (k, v) VALUES ('limit', ?)", String(limit));
  }

  private limit(): number | undefined {
    const v = query<{ v: string }>(this.sql, "SELECT v FROM flow_meta WHERE k = 'limit'")[0]?.v;
    return v === undefined ? undefined : Number(v);
  }

  async handle(request: GateRequest): Promise<GateReply | GateStats> {
    const now = Date.now();
    switch (request.op) {
      case "acquire": {
        this.remember(request.gate, request.limit);
        const slot = acquireSlot(this.sql, request.runId, request.priority, request.limit, now);
        await this.armAudit(now);
        await this.report();
        if (slot.granted) return { verdict: "pass" };
        return { verdict: "wait", position: slot.position, since: slot.since };
      }
      case "release": {
        const released = releaseSlot(this.sql, request.runId, this.limit(), now);
        releaseStart(this.sql, request.runId);
        await this.notifyGranted();
        if (request.gate.stage === "concurrency") await this.report();
        return { verdict: "released", released };
      }
      case "reserve": {
        this.remember(request.gate);
        const r = reserveStart(this.sql, request.runId, now, request.limit, request.periodMs, request.drop);
        if ("dropped" in r) return { verdict: "skip" };
        return r.at <= now ? { verdict: "pass", at: r.at } : { verdict: "wait", until: r.at, since: now };
      }
      case "debounce": {
        this.remember(request.gate);
        const r = debounceStart(this.sql, request.runId, now, request.periodMs, request.maxWaitMs);
        // The superseded start finds out at its own due time too; telling it now ends it at once.
        if ("superseded" in r && r.superseded)
          await this.ask(r.superseded, { op: "skip", reason: "debounced", by: request.runId }).catch(() => undefined);
        if (r.verdict === "wait") return { verdict: "wait", until: r.until, since: r.since };
        return r.verdict === "skip" ? { verdict: "skip", by: r.by } : { verdict: "pass" };
      }
      case "claim":
        this.remember(request.gate);
        return this.claim(request.runId, request.mode);
      case "batch": {
        this.remember(request.gate);
        const ids = await batchRunIds(request);
        const r = addToBatch(this.sql, { ...request, batchRunIdOf: (batchId) => ids.get(batchId)! }, now);
        await this.startClosedBatches();
        await this.rearm(now);
        return { verdict: "batched", batchId: r.batchId, by: r.batchRunId };
      }
      case "stats": {
        const gate = query<{ v: string }>(this.sql, "SELECT v FROM flow_meta WHERE k = 'gate'")[0]?.v;
        return { ...(gate ? { gate: JSON.parse(gate) as GateId } : {}), ...slotCounts(this.sql) };
      }
    }
  }

  /** Tells the gate's directory shard how many runs execute and wait here (for the queues listing). */
  private async report(): Promise<void> {
    const gate = query<{ v: string }>(this.sql, "SELECT v FROM flow_meta WHERE k = 'gate'")[0]?.v;
    if (!gate) return;
    const { running, queued } = slotCounts(this.sql);
    await reportQueue(this.env, JSON.parse(gate) as GateId, running, queued);
  }

  /** One live run per key: a holder that has finished (or vanished) is replaced without asking. */
  private async claim(runId: string, mode: "skip" | "cancel-running"): Promise<GateReply> {
    const holder = singletonHolder(this.sql);
    if (!holder || holder === runId) {
      setSingletonHolder(this.sql, runId);
      await this.armAudit(Date.now());
      return { verdict: "pass" };
    }
    const status = await this.ask(holder, { op: "status" }).catch(() => "live");
    // The check awaited: another claim may have landed meanwhile, so read the holder again.
    const current = singletonHolder(this.sql);
    const gone = status === "missing" || status === "finished";
    if (current !== holder && current !== undefined && current !== runId) return { verdict: "skip", by: current };
    if (!gone && mode === "skip") return { verdict: "skip", by: holder };
    setSingletonHolder(this.sql, runId);
    await this.armAudit(Date.now());
    if (gone) return { verdict: "pass" };
    await this.run(holder)
      .cancel(`replaced by run ${runId} (singleton, cancel-running)`)
      .catch(() => undefined);
    return { verdict: "pass", canceled: holder };
  }

  /** Tells the runs granted a slot that they may start; a finished or vanished one gives it back. */
  private async notifyGranted(): Promise<void> {
    for (;;) {
      const pending = unnotified(this.sql, NOTIFY_BATCH);
      if (!pending.length) return;
      let failed = false;
      await Promise.all(
        pending.map(async (runId) => {
          try {
            const answer = await this.ask(runId, { op: "wake" });
            if (answer === "woken") markNotified(this.sql, runId);
            else releaseSlot(this.sql, runId, this.limit(), Date.now());
          } catch {
            failed = true;
          }
        }),
      );
      if (failed) {
        await this.ctx.storage.setAlarm(Date.now() + FLOW_NOTIFY_RETRY_MS);
        return;
      }
    }
  }

  private async startClosedBatches(): Promise<void> {
    for (const batch of closedBatches(this.sql)) {
      const gate = query<{ v: string }>(this.sql, "SELECT v FROM flow_meta WHERE k = 'gate'")[0]?.v;
      const workflow = gate ? registry.workflows.get((JSON.parse(gate) as GateId).workflow) : undefined;
      // The workflow was removed by a deploy: nothing can start its batch.
      if (!workflow) {
        forgetBatch(this.sql, batch.batchId, Date.now());
        continue;
      }
      const started = await startRun(this.env, workflow, batch.items, {
        trigger: { ...batch.trigger, batchId: batch.batchId },
        idempotencyKey: batch.batchId,
      }).catch(() => undefined);
      if (started?.ok || (started && started.error.code === "invalid_input"))
        forgetBatch(this.sql, batch.batchId, Date.now());
    }
  }

  private async armAudit(now: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null) await this.ctx.storage.setAlarm(now + FLOW_HOLDER_AUDIT_MS);
  }

  /** Points the alarm at the next thing due: a batch's maxWait or pruning, a retry, or the holders' audit. */
  private async rearm(now: number): Promise<void> {
    const due = [openBatchDueAt(this.sql), batchPruneDueAt(this.sql)];
    if (closedBatches(this.sql).length || unnotified(this.sql, 1).length) due.push(now + FLOW_NOTIFY_RETRY_MS);
    if (holderIds(this.sql).length || singletonHolder(this.sql)) due.push(now + FLOW_HOLDER_AUDIT_MS);
    const next = Math.min(...due.filter((d): d is number => d !== undefined));
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(next);
    else await this.ctx.storage.deleteAlarm();
  }

  /**
   * The gate's alarm: closes a due batch and starts closed ones, wakes granted runs not yet told,
   * and recovers the slots of holders that finished or vanished without releasing them (a run
   * whose object was aborted or lost): each such slot is released once, by run id.
   */
  async alarm(info?: AlarmInvocationInfo): Promise<void> {
    const now = Date.now();
    // The runtime's alarms carry invocation info and run on wall time; one fired by hand (a test,
    // as for runs: decision 0002) advances the clock to the open batch's deadline, else to when
    // the oldest batch membership is dropped.
    const due = openBatchDueAt(this.sql) ?? batchPruneDueAt(this.sql) ?? now;
    const clock = info ? now : Math.max(now, due);
    closeDueBatch(this.sql, clock);
    pruneBatches(this.sql, clock);
    await this.startClosedBatches();
    await this.notifyGranted();
    const holders = [...holderIds(this.sql), singletonHolder(this.sql)].filter((id): id is string => !!id);
    for (const runId of new Set(holders)) {
      const status = await this.ask(runId, { op: "status" }).catch(() => "live");
      if (status !== "missing" && status !== "finished") continue;
      releaseSlot(this.sql, runId, this.limit(), now);
      releaseStart(this.sql, runId);
    }
    await this.notifyGranted();
    await this.rearm(now);
  }
}

/** The run ids of every batch a start's items could open, worked out before the gate's synchronous segment. */
async function batchRunIds(request: { runId: string; items: unknown[]; maxSize: number; runScope: string }) {
  const ids = new Map<string, string>();
  for (let part = 0; part < batchesSpanned(request.items.length, request.maxSize); part++) {
    const batchId = batchIdFor(request.runId, part);
    ids.set(batchId, await runIdForKey(request.runScope, batchId));
  }
  return ids;
}
