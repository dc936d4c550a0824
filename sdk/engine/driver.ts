// The pure driver: runs a workflow's code against its event log and returns what happened
// (completed, failed, or suspended with its wake conditions). It owns no storage; the Durable
// Object and the testing harness hand it an EventLog.
import type { Duration } from "../duration.ts";
import { ValidationError } from "../errors.ts";
import type { WorkflowDefinition } from "../workflow-types.ts";
import { createContext } from "./context.ts";
import { deserializeError, serializeError } from "./error-codec.ts";
import type { AppendOptions, EventLog, LargeValueRef } from "./event-log.ts";
import type { EventOf, NewRunEvent, RunEvent, SerializedError } from "./events.ts";
import { inputHash } from "./input-hash.ts";
import { DEFAULT_LIMITS, type RunLimits } from "./limits.ts";
import { parseStubOutput, runAttempt } from "./attempt.ts";
import { checkDeterminism, checkLimits, checkOutputSize } from "./guards.ts";
import { Scope } from "./run-scope.ts";
import {
  ambientScope,
  type ChildCall,
  type HookHandle,
  type HookOptions,
  type RunInfo,
  type StepCall,
} from "./scope.ts";
import { hookStep, sleepStep } from "./waits.ts";
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
  /** Overrides of the engine's limits (steps per run, nesting depth, output size). */
  limits?: Partial<RunLimits>;
  /** Test doubles by step name (action/agent slug, or "llm"): they run instead of the step. */
  stubs?: Record<string, (input: unknown) => unknown>;
}

const DEFAULT_STEP_BUDGET = 20_000;

/** Ends a pass from inside the driver for a reason no user `catch` may swallow. */
export class PassAbort extends Error {}

type Settle = () => void;

/**
 * One pass of one run. Its members are shared with attempt.ts, waits.ts and run-scope.ts,
 * the rest of the engine; nothing outside sdk/engine uses them.
 */
export class Driver {
  readonly runId: string;
  info!: RunInfo;
  readonly records: Map<string, StepRecord>;
  readonly blocked = new Map<string, Wait>();
  readonly controllers = new Set<AbortController>();
  readyQueue: { seq: number; settle: Settle }[] = [];
  flushScheduled = false;
  inFlight = 0;
  activity = 0;
  liveSteps = 0;
  readonly limits: RunLimits;
  idleCheckScheduled = false;
  finished = false;
  fatal?: Error;
  resolveOutcome!: (outcome: DriveOutcome) => void;
  /** Ends the pass with an error of the log itself (see `append`): nothing more is recorded. */
  rejectOutcome!: (error: unknown) => void;
  readonly outcome = new Promise<DriveOutcome>((resolve, reject) => {
    this.resolveOutcome = resolve;
    this.rejectOutcome = reject;
  });

  constructor(
    readonly workflow: WorkflowDefinition,
    readonly log: EventLog,
    readonly options: DriveOptions,
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
    body
      .then(
        (output) => this.complete(output),
        (error) => this.fail(error),
      )
      // A failed append has already ended the pass through `outcome`.
      .catch(() => undefined);
    this.scheduleIdleCheck();
    return this.outcome;
  }

  async complete(output: unknown): Promise<void> {
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
      externalOutput = await this.storeOutput("the workflow", parsed.data);
    } catch (error) {
      this.fail(error); // a no-op when storing failed: that ended the pass already
      return;
    }
    if (this.finished) return;
    this.append({ type: "run_completed", output: parsed.data }, externalOutput ? { externalOutput } : undefined);
    this.finish({ status: "completed", output: parsed.data });
  }

  fail(thrown: unknown): void {
    if (this.finished) return;
    const error = serializeError(this.fatal ?? thrown);
    if (this.options.probe) {
      this.finish({ status: "suspended", waits: [] });
      return;
    }
    this.append({ type: "run_failed", error });
    this.finish({ status: "failed", error });
  }

  cancel(): void {
    for (const controller of this.controllers) controller.abort(new Error("run canceled"));
    this.finish({ status: "canceled" });
  }

  finish(outcome: DriveOutcome): void {
    if (this.finished) return;
    this.finished = true;
    for (const controller of this.controllers) controller.abort(new Error("run pass ended"));
    this.resolveOutcome(outcome);
  }

  /**
   * Checks an output against the size limit (throwing `step_output_too_large`) and, when it is
   * large, stores it outside the log and returns the reference. A store that fails is the log
   * failing, not the step or the run: the pass ends (`logFailed`) and the run is replayed.
   */
  async storeOutput(where: string, value: unknown): Promise<LargeValueRef | undefined> {
    const size = checkOutputSize(this, where, value);
    if (!size || !this.log.externalize || size.bytes < (this.log.largeValueBytes ?? Number.POSITIVE_INFINITY))
      return undefined;
    try {
      return await this.log.externalize(size.json, size.bytes);
    } catch (error) {
      this.logFailed(error);
      throw new PassAbort(`the output of ${where} could not be stored: ${(error as Error)?.message ?? error}`);
    }
  }

  /** The log could not record: the pass ends with its error, and nothing more is recorded. */
  logFailed(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    for (const controller of this.controllers) controller.abort(new Error("run pass ended"));
    this.rejectOutcome(error);
  }

  /** Code that reached an impossible state ends the run, whatever the user's `catch` does. */
  abortPass(error: Error): never {
    this.fatal = error;
    this.fail(error);
    throw new PassAbort(error.message);
  }

  append(event: NewRunEvent, options?: AppendOptions): RunEvent | undefined {
    if (this.finished && event.type !== "run_completed" && event.type !== "run_failed") return undefined;
    let stored: RunEvent;
    try {
      stored = this.log.append(event, options);
    } catch (error) {
      // The log could not record (storage out of memory, say). The code must not go on as if
      // the step had failed — a user's catch would take a path the run never took — so the
      // pass ends here with the error, and its caller replays the run from what was stored.
      this.logFailed(error);
      throw new PassAbort(`the run's log could not record ${event.type}: ${(error as Error)?.message ?? error}`);
    }
    applyStepEvent(this.records, stored);
    this.activity++;
    return stored;
  }

  // ---- settling and idleness -----------------------------------------------------------

  /** Settles recorded results in log order, so `Promise.race` replays the way it first ran. */
  ready(seq: number, settle: Settle): void {
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

  block(wait: Wait, key: string): Promise<never> {
    this.blocked.set(key, wait);
    this.scheduleIdleCheck();
    return new Promise<never>(() => {});
  }

  /** After every microtask has run: nothing executing and nothing new means the pass is done. */
  scheduleIdleCheck(): void {
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

  replayed<T>(record: StepRecord, call: { parseOutput?(recorded: unknown): T }): Promise<T> | undefined {
    if (record.completed) {
      const { seq, output } = record.completed;
      return new Promise<T>((resolve, reject) =>
        this.ready(seq, () => {
          try {
            resolve(call.parseOutput ? call.parseOutput(output) : structuredClone(output as T));
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
    checkDeterminism(this, stepId, record, call.kind, call.name, hash);
    checkLimits(this, stepId, record);
    if (record) {
      const done = this.replayed(record, call);
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
    // The stub replaces `execute` only; the call's other members (a class's methods included) stay.
    const live: StepCall<T> = stub
      ? Object.assign(Object.create(call) as StepCall<T>, {
          execute: async () => parseStubOutput(call, await stub(call.input)),
        })
      : call;
    return runAttempt(this, stepId, live, hash, record);
  }

  async child<T>(stepId: string, call: ChildCall<T>): Promise<T> {
    if (this.finished) return new Promise<never>(() => {});
    const hash = inputHash(call.input);
    const record = this.records.get(stepId);
    const kind = call.kind ?? "workflow";
    checkDeterminism(this, stepId, record, kind, call.name, hash);
    checkLimits(this, stepId, record);
    if (record) {
      const done = this.replayed(record, call);
      if (done) return done;
    } else if (!this.options.probe) {
      this.append({ type: "step_started", stepId, kind, name: call.name, attempt: 1, inputHash: hash });
    }
    const scope = new Scope(this, `${stepId}/`, call.forbidWaits);
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
    return sleepStep(this, stepId, target);
  }

  hook<T>(stepId: string, options: HookOptions<T>): HookHandle<T> {
    return hookStep(this, stepId, options);
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
