// The pure driver: runs a workflow's code against its event log and returns what happened
// (completed, failed, or suspended with its wake conditions). It owns no storage; the Durable
// Object and the testing harness hand it an EventLog.
import { z } from "zod";
import { CairnError, HookTimeoutError, NonDeterminismError, StepTimeoutError, ValidationError } from "../errors.ts";
import { wakeTimeFor, parseDuration, type Duration } from "../duration.ts";
import type { WorkflowDefinition } from "../workflow-types.ts";
import { createContext } from "./context.ts";
import { deserializeError, serializeError } from "./error-codec.ts";
import type { AppendOptions, EventLog, LargeValueRef } from "./event-log.ts";
import type { EventOf, NewRunEvent, RunEvent, SerializedError } from "./events.ts";
import { inputHash } from "./input-hash.ts";
import { DEFAULT_LIMITS, type RunLimits } from "./limits.ts";
import { backoffDelayMs, resolveRetryPolicy } from "./retry-policy.ts";
import {
  ambientScope,
  type ChildCall,
  type HookHandle,
  type HookOptions,
  type RunInfo,
  type StepCall,
  type StepScope,
} from "./scope.ts";
import { applyStepEvent, buildStepRecords, type StepRecord } from "./step-records.ts";

/** Why a suspended run sleeps: each becomes a timer (or an open hook) in the run's store. */
export type Wait =
  | { kind: "sleep"; stepId: string; wakeAt: number }
  | { kind: "retry"; stepId: string; wakeAt: number }
  | { kind: "hook"; stepId: string; token: string; timeoutAt?: number }
  | { kind: "yield"; wakeAt: number };

export type DriveOutcome =
  | { status: "completed"; output: unknown }
  | { status: "failed"; error: SerializedError }
  | { status: "suspended"; waits: Wait[] }
  | { status: "canceled" };

export interface DriveOptions {
  runId: string;
  /** Logical now: an alarm fired for a timer due at T drives with `now >= T`. */
  now?: number;
  /** Builds the resume URL for a new hook token. */
  resumeUrl?: (token: string) => string;
  /** Mints a hook token (the Durable Object embeds its own id for routing). */
  newToken?: () => string;
  /** Live steps one pass may execute before it yields and continues in a fresh pass. */
  stepBudget?: number;
  /** Aborts in-flight steps and ends the pass (run canceled). */
  signal?: AbortSignal;
  /** Filled with each hook's payload schema, keyed by token, as the code creates its hooks. */
  hookSchemas?: Map<string, HookOptions<unknown>["schema"]>;
  /** Replays recorded steps only: nothing executes and nothing is appended. */
  probe?: boolean;
  /**
   * Awaited after `step_started` and before the attempt runs: the Durable Object makes every
   * earlier write durable here, so a crash during a side effect can never lose the record of
   * a step that already completed.
   */
  beforeAttempt?: () => Promise<void>;
  /** Overrides of the engine's limits (steps per run, nesting depth, output size). */
  limits?: Partial<RunLimits>;
  /** Test doubles by step name (action/agent slug, or "llm"): they run instead of the step. */
  stubs?: Record<string, (input: unknown) => unknown>;
}

const DEFAULT_STEP_BUDGET = 20_000;
/** Starts of one attempt (the first and its re-runs after crashes) before the step fails. */
const MAX_STARTS_PER_ATTEMPT = 3;

/** Ends a pass from inside the driver for a reason no user `catch` may swallow. */
class PassAbort extends Error {}

type Settle = () => void;

class Driver {
  readonly runId: string;
  info!: RunInfo;
  private readonly records: Map<string, StepRecord>;
  private readonly blocked = new Map<string, Wait>();
  private readonly controllers = new Set<AbortController>();
  private readyQueue: { seq: number; settle: Settle }[] = [];
  private flushScheduled = false;
  private inFlight = 0;
  private activity = 0;
  private liveSteps = 0;
  private readonly limits: RunLimits;
  private idleCheckScheduled = false;
  private finished = false;
  private fatal?: Error;
  private resolveOutcome!: (outcome: DriveOutcome) => void;
  readonly outcome = new Promise<DriveOutcome>((resolve) => {
    this.resolveOutcome = resolve;
  });

  constructor(
    private readonly workflow: WorkflowDefinition,
    private readonly log: EventLog,
    private readonly options: DriveOptions,
  ) {
    this.runId = options.runId;
    this.records = buildStepRecords(log.events);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
  }

  now(): number {
    return Math.max(Date.now(), this.options.now ?? 0);
  }

  // ---- the pass ------------------------------------------------------------------------

  start(): Promise<DriveOutcome> {
    const started = this.log.events.find((e): e is EventOf<"run_started"> => e.type === "run_started");
    if (!started) throw new Error(`run ${this.runId} has no run_started event`);
    const terminal = this.log.events.find((e) => e.type === "run_completed" || e.type === "run_failed");
    if (terminal?.type === "run_completed") return Promise.resolve({ status: "completed", output: terminal.output });
    if (terminal?.type === "run_failed") return Promise.resolve({ status: "failed", error: terminal.error });

    this.options.signal?.addEventListener("abort", () => this.cancel());
    const parsed = this.workflow.input.safeParse(started.input);
    if (!parsed.success) {
      this.fail(
        new ValidationError(
          "invalid_input",
          "run input does not match the workflow's input schema",
          parsed.error.issues,
        ),
      );
      return this.outcome;
    }
    this.info = {
      runId: this.runId,
      workflow: started.workflow,
      trigger: started.trigger.type,
      source: started.trigger.source,
      triggeredAt: started.triggeredAt,
      subscription: started.subscription,
    };
    const scope = new Scope(this, "");
    const ctx = createContext(scope);
    const body = ambientScope.run({ type: "run", scope }, () =>
      Promise.resolve().then(() => this.workflow.runFn(parsed.data, ctx)),
    );
    body.then(
      (output) => this.complete(output),
      (error) => this.fail(error),
    );
    this.scheduleIdleCheck();
    return this.outcome;
  }

  private async complete(output: unknown): Promise<void> {
    if (this.finished) return;
    if (this.fatal) {
      this.fail(this.fatal);
      return;
    }
    const parsed = this.workflow.output.safeParse(output);
    if (!parsed.success) {
      this.fail(
        new ValidationError(
          "invalid_output",
          `workflow ${this.workflow.slug} returned output that does not match its output schema`,
          parsed.error.issues,
        ),
      );
      return;
    }
    if (this.options.probe) {
      this.finish({ status: "suspended", waits: [] });
      return;
    }
    let externalOutput: LargeValueRef | undefined;
    try {
      const size = this.checkOutputSize("the workflow", parsed.data);
      if (size && this.log.externalize && size.bytes >= (this.log.largeValueBytes ?? Number.POSITIVE_INFINITY)) {
        externalOutput = await this.log.externalize(size.json, size.bytes);
      }
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.finished) return;
    this.append({ type: "run_completed", output: parsed.data }, externalOutput ? { externalOutput } : undefined);
    this.finish({ status: "completed", output: parsed.data });
  }

  private fail(thrown: unknown): void {
    if (this.finished) return;
    const error = serializeError(this.fatal ?? thrown);
    if (this.options.probe) {
      this.finish({ status: "suspended", waits: [] });
      return;
    }
    this.append({ type: "run_failed", error });
    this.finish({ status: "failed", error });
  }

  private cancel(): void {
    for (const controller of this.controllers) controller.abort(new Error("run canceled"));
    this.finish({ status: "canceled" });
  }

  private finish(outcome: DriveOutcome): void {
    if (this.finished) return;
    this.finished = true;
    for (const controller of this.controllers) controller.abort(new Error("run pass ended"));
    this.resolveOutcome(outcome);
  }

  /** Code that reached an impossible state ends the run, whatever the user's `catch` does. */
  private abortPass(error: Error): never {
    this.fatal = error;
    this.fail(error);
    throw new PassAbort(error.message);
  }

  private append(event: NewRunEvent, options?: AppendOptions): RunEvent | undefined {
    if (this.finished && event.type !== "run_completed" && event.type !== "run_failed") return undefined;
    const stored = this.log.append(event, options);
    applyStepEvent(this.records, stored);
    this.activity++;
    return stored;
  }

  // ---- settling and idleness -----------------------------------------------------------

  /** Settles recorded results in log order, so `Promise.race` replays the way it first ran. */
  private ready(seq: number, settle: Settle): void {
    this.readyQueue.push({ seq, settle });
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      const queue = this.readyQueue;
      this.readyQueue = [];
      if (queue.length > 1) queue.sort((a, b) => a.seq - b.seq);
      this.activity++;
      for (const item of queue) item.settle();
    });
  }

  private block(wait: Wait, key: string): Promise<never> {
    this.blocked.set(key, wait);
    this.scheduleIdleCheck();
    return new Promise<never>(() => {});
  }

  /** After every microtask has run: nothing executing and nothing new means the pass is done. */
  private scheduleIdleCheck(): void {
    if (this.idleCheckScheduled || this.finished) return;
    this.idleCheckScheduled = true;
    const mark = this.activity;
    setTimeout(() => {
      this.idleCheckScheduled = false;
      if (this.finished || this.inFlight > 0) return;
      if (this.activity !== mark) {
        this.scheduleIdleCheck();
        return;
      }
      if (this.blocked.size > 0) {
        this.finish({ status: "suspended", waits: [...this.blocked.values()] });
        return;
      }
      // The code awaits something that is not a step (a bare fetch, a timer): keep waiting.
      this.idleCheckScheduled = true;
      setTimeout(() => {
        this.idleCheckScheduled = false;
        this.activity++;
        this.scheduleIdleCheck();
      }, 5);
    }, 0);
  }

  // ---- steps ---------------------------------------------------------------------------

  /** A new step must fit the run's limits; breaking one ends the run, whatever user code catches. */
  private checkLimits(stepId: string, record: StepRecord | undefined): void {
    if (record) return;
    if (this.records.size >= this.limits.maxSteps) {
      this.abortPass(
        new CairnError(
          "step_limit_exceeded",
          `the run reached its limit of ${this.limits.maxSteps} steps at ${stepId}`,
        ),
      );
    }
    if (stepId.split("/").length > this.limits.maxDepth) {
      this.abortPass(
        new CairnError("nesting_too_deep", `${stepId} nests sub-workflows deeper than ${this.limits.maxDepth} levels`),
      );
    }
  }

  /** Measures a step's output against the limit; returns its JSON and size for externalizing. */
  private checkOutputSize(stepId: string, value: unknown): { json: string; bytes: number } | undefined {
    if (value === undefined) return undefined;
    const json = JSON.stringify(value);
    // UTF-16 length bounds the UTF-8 size from below by at most 3x; measure exactly only near limits.
    const bytes =
      json.length * 3 < (this.log.largeValueBytes ?? Number.POSITIVE_INFINITY) &&
      json.length * 3 < this.limits.maxOutputBytes
        ? json.length
        : new TextEncoder().encode(json).byteLength;
    if (bytes > this.limits.maxOutputBytes) {
      throw new CairnError(
        "step_output_too_large",
        `${stepId} returned ${bytes} bytes; the limit is ${this.limits.maxOutputBytes}`,
        { bytes, limit: this.limits.maxOutputBytes },
      );
    }
    return { json, bytes };
  }

  private checkDeterminism(
    stepId: string,
    record: StepRecord | undefined,
    kind: string,
    name: string,
    hash: string,
  ): void {
    if (!record?.inputHash) return;
    if (record.kind !== kind || record.name !== name || record.inputHash !== hash) {
      this.abortPass(
        new NonDeterminismError(
          stepId,
          `${record.kind} ${record.name} (input ${record.inputHash})`,
          `${kind} ${name} (input ${hash})`,
        ),
      );
    }
  }

  private replayed<T>(record: StepRecord, parseOutput?: (value: unknown) => T): Promise<T> | undefined {
    if (record.completed) {
      const { seq, output } = record.completed;
      return new Promise<T>((resolve, reject) =>
        this.ready(seq, () => {
          try {
            resolve(parseOutput ? parseOutput(output) : (output as T));
          } catch (error) {
            reject(error);
          }
        }),
      );
    }
    if (record.failed) {
      const { seq, error } = record.failed;
      return new Promise<T>((_, reject) => this.ready(seq, () => reject(deserializeError(error))));
    }
    return undefined;
  }

  step<T>(stepId: string, call: StepCall<T>): Promise<T> {
    if (this.finished) return new Promise<never>(() => {});
    const hash = inputHash(call.input);
    const record = this.records.get(stepId);
    this.checkDeterminism(stepId, record, call.kind, call.name, hash);
    this.checkLimits(stepId, record);
    if (record) {
      const done = this.replayed(record, call.parseOutput);
      if (done) return done;
      if (record.retrying && record.retrying.retryAt > this.now()) {
        return this.block({ kind: "retry", stepId, wakeAt: record.retrying.retryAt }, stepId);
      }
    }
    if (this.options.probe) return this.block({ kind: "yield", wakeAt: this.now() }, stepId);
    const budget = this.options.stepBudget ?? DEFAULT_STEP_BUDGET;
    if (this.liveSteps >= budget) return this.block({ kind: "yield", wakeAt: this.now() }, "yield");
    this.liveSteps++;
    const stub = this.options.stubs?.[call.name];
    const live = stub ? { ...call, execute: async () => parseStubOutput(call, await stub(call.input)) } : call;
    return this.execute(stepId, live, hash, record);
  }

  private async execute<T>(
    stepId: string,
    call: StepCall<T>,
    hash: string,
    record: StepRecord | undefined,
  ): Promise<T> {
    const policy = record?.policy ?? resolveRetryPolicy(this.workflow.retries, call.retries);
    // An attempt that started but never finished was cut off by a crash: run it again under the
    // same number (at-least-once for the attempt in flight), unless crashes keep cutting it off.
    const interrupted = record !== undefined && record.attempt > 0 && !record.retrying;
    const attempt = interrupted ? record.attempt : (record?.attempt ?? 0) + 1;
    if (interrupted && record.starts >= MAX_STARTS_PER_ATTEMPT) {
      const error = new CairnError(
        "attempt_interrupted",
        `${stepId} attempt ${attempt} was interrupted ${record.starts} times; giving up`,
      );
      this.append({ type: "step_failed", stepId, attempt, error: serializeError(error) });
      throw error;
    }
    this.append({
      type: "step_started",
      stepId,
      kind: call.kind,
      name: call.name,
      attempt,
      inputHash: hash,
      ...(attempt === 1 ? { policy } : {}),
    });
    const controller = new AbortController();
    this.controllers.add(controller);
    this.inFlight++;
    let outcome: { ok: true; value: T; externalOutput?: LargeValueRef } | { ok: false; error: unknown };
    try {
      await this.options.beforeAttempt?.();
      const value = await ambientScope.run({ type: "action", slug: call.name }, () =>
        withTimeout(call.execute(controller.signal, attempt), stepId, call.timeoutMs, controller),
      );
      const size = this.checkOutputSize(stepId, value);
      const externalOutput =
        size && this.log.externalize && size.bytes >= (this.log.largeValueBytes ?? Number.POSITIVE_INFINITY)
          ? await this.log.externalize(size.json, size.bytes)
          : undefined;
      outcome = { ok: true, value, externalOutput };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      this.inFlight--;
      this.controllers.delete(controller);
      this.activity++;
      this.scheduleIdleCheck();
    }
    if (this.finished) return new Promise<never>(() => {});
    if (outcome.ok) {
      const usage = call.usageOf?.(outcome.value);
      this.append(
        { type: "step_completed", stepId, output: outcome.value, ...(usage ? { usage } : {}) },
        outcome.externalOutput ? { externalOutput: outcome.externalOutput } : undefined,
      );
      return outcome.value;
    }
    const error = serializeError(outcome.error);
    if (isNonRetryable(outcome.error) || attempt >= policy.maxAttempts) {
      this.append({ type: "step_failed", stepId, attempt, error });
      throw outcome.error;
    }
    const retryAt = this.now() + backoffDelayMs(policy, attempt);
    this.append({ type: "step_retrying", stepId, attempt, error, retryAt });
    return this.block({ kind: "retry", stepId, wakeAt: retryAt }, stepId);
  }

  async child<T>(stepId: string, call: ChildCall<T>): Promise<T> {
    if (this.finished) return new Promise<never>(() => {});
    const hash = inputHash(call.input);
    const record = this.records.get(stepId);
    const kind = call.kind ?? "workflow";
    this.checkDeterminism(stepId, record, kind, call.name, hash);
    this.checkLimits(stepId, record);
    if (record) {
      const done = this.replayed(record, call.parseOutput);
      if (done) return done;
    } else if (!this.options.probe) {
      this.append({ type: "step_started", stepId, kind, name: call.name, attempt: 1, inputHash: hash });
    }
    const scope = new Scope(this, `${stepId}/`);
    try {
      const output = await ambientScope.run({ type: "run", scope }, () => call.run(scope));
      if (!this.options.probe) this.append({ type: "step_completed", stepId, output });
      return output;
    } catch (error) {
      if (error instanceof PassAbort || this.fatal) throw error;
      if (!this.options.probe) this.append({ type: "step_failed", stepId, attempt: 1, error: serializeError(error) });
      throw error;
    }
  }

  sleep(stepId: string, target: Duration | Date): Promise<void> {
    if (this.finished) return new Promise<never>(() => {});
    let record = this.records.get(stepId);
    if (record?.sleep?.completedSeq) {
      const seq = record.sleep.completedSeq;
      return new Promise<void>((resolve) => this.ready(seq, resolve));
    }
    if (this.options.probe) return this.block({ kind: "yield", wakeAt: this.now() }, stepId);
    if (!record?.sleep) {
      this.append({ type: "sleep_started", stepId, wakeAt: wakeTimeFor(target, this.now()) });
      record = this.records.get(stepId)!;
    }
    const wakeAt = record.sleep!.wakeAt;
    if (wakeAt <= this.now()) {
      const stored = this.append({ type: "sleep_completed", stepId });
      return new Promise<void>((resolve) => this.ready(stored?.seq ?? 0, resolve));
    }
    return this.block({ kind: "sleep", stepId, wakeAt }, stepId);
  }

  hook<T>(stepId: string, options: HookOptions<T>): HookHandle<T> {
    let record = this.records.get(stepId);
    if (!record?.hook && !this.options.probe && !this.finished) {
      const token = this.options.newToken?.() ?? `${this.runId}.${crypto.randomUUID()}`;
      const timeoutAt = options.timeout === undefined ? undefined : this.now() + parseDuration(options.timeout);
      this.append({
        type: "hook_created",
        stepId,
        token,
        ...(timeoutAt ? { timeoutAt } : {}),
        ...hookSchemaField(options.schema),
      });
      record = this.records.get(stepId);
    }
    const token = record?.hook?.token ?? "";
    if (token && options.schema) this.options.hookSchemas?.set(token, options.schema as HookOptions<unknown>["schema"]);
    let promise: Promise<T> | undefined;
    const awaitHook = (): Promise<T> => {
      promise ??= this.awaitHook(stepId, options);
      return promise;
    };
    return {
      id: stepId,
      token,
      resumeUrl: token ? (this.options.resumeUrl?.(token) ?? `/hooks/${token}`) : "",
      // biome-ignore lint/suspicious/noThenProperty: the handle is deliberately awaitable.
      then: (onFulfilled, onRejected) => awaitHook().then(onFulfilled, onRejected),
    };
  }

  private awaitHook<T>(stepId: string, options: HookOptions<T>): Promise<T> {
    if (this.finished) return new Promise<never>(() => {});
    const hook = this.records.get(stepId)?.hook;
    if (!hook) return this.block({ kind: "yield", wakeAt: this.now() }, stepId);
    if (hook.resumed) {
      const { seq, payload } = hook.resumed;
      return new Promise<T>((resolve, reject) =>
        this.ready(seq, () => {
          try {
            resolve(options.schema ? options.schema.parse(payload) : (payload as T));
          } catch (error) {
            reject(error);
          }
        }),
      );
    }
    if (hook.timedOutSeq) {
      const seq = hook.timedOutSeq;
      return new Promise<T>((_, reject) => this.ready(seq, () => reject(new HookTimeoutError(stepId))));
    }
    if (hook.timeoutAt !== undefined && hook.timeoutAt <= this.now() && !this.options.probe) {
      const stored = this.append({ type: "hook_timed_out", stepId });
      return new Promise<T>((_, reject) => this.ready(stored?.seq ?? 0, () => reject(new HookTimeoutError(stepId))));
    }
    return this.block({ kind: "hook", stepId, token: hook.token, timeoutAt: hook.timeoutAt }, stepId);
  }
}

/** One workflow body's view of the driver: a prefix and per-name counters for step ids. */
class Scope implements StepScope {
  private readonly counters = new Map<string, number>();
  constructor(
    private readonly driver: Driver,
    private readonly prefix: string,
  ) {}

  get runId(): string {
    return this.driver.runId;
  }
  get info(): RunInfo {
    return this.driver.info;
  }

  /** `<prefix><name>#<n>`: n counts earlier calls of the same name in this scope. */
  private nextId(name: string): string {
    const n = this.counters.get(name) ?? 0;
    this.counters.set(name, n + 1);
    return `${this.prefix}${name}#${n}`;
  }

  step<T>(call: StepCall<T>): Promise<T> {
    return this.driver.step(this.nextId(call.name), call);
  }
  child<T>(call: ChildCall<T>): Promise<T> {
    return this.driver.child(this.nextId(call.name), call);
  }
  sleep(target: Duration | Date): Promise<void> {
    return this.driver.sleep(this.nextId("sleep"), target);
  }
  hook<T>(options: HookOptions<T> = {}): HookHandle<T> {
    return this.driver.hook(this.nextId("hook"), options);
  }
}

/** A stub's answer must fit the step's output schema, like the real step's would. */
function parseStubOutput<T>(call: StepCall<T>, value: unknown): T {
  if (!call.parseOutput) return value as T;
  try {
    return call.parseOutput(value);
  } catch (error) {
    const issues = (error as { issues?: unknown }).issues;
    throw new ValidationError(
      "invalid_output",
      `stub for ${call.name} returned output that does not match its schema`,
      issues,
    );
  }
}

/** Records a zod hook schema as JSON Schema, for the dashboard's resume form. */
function hookSchemaField(schema: unknown): { schema?: unknown } {
  if (!(schema instanceof z.ZodType)) return schema ? { schema: {} } : {};
  try {
    return { schema: z.toJSONSchema(schema, { unrepresentable: "any" }) };
  } catch {
    return { schema: {} };
  }
}

function isNonRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === "non_retryable" ||
    code === "usage_error" ||
    code === "invalid_input" ||
    code === "invalid_output" ||
    code === "step_output_too_large"
  );
}

async function withTimeout<T>(
  work: Promise<T>,
  stepId: string,
  timeoutMs: number | undefined,
  controller: AbortController,
): Promise<T> {
  if (timeoutMs === undefined) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StepTimeoutError(stepId, timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one durable pass of `workflow` against `log`.
 * @example
 * const outcome = await drive(greeting, log, { runId: "run_1" });
 */
export function drive(workflow: WorkflowDefinition, log: EventLog, options: DriveOptions): Promise<DriveOutcome> {
  return new Driver(workflow, log, options).start();
}
