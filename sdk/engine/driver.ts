// The pure driver: runs a workflow's code against its event log and returns what happened
// (completed, failed, or suspended with its wake conditions). It owns no storage; the Durable
// Object and the testing harness hand it an EventLog.
import type { Duration } from "../duration.ts";
import { ValidationError } from "../errors.ts";
import type { WorkflowDefinition } from "../workflow-types.ts";
import { childStep } from "./child-step.ts";
import { createContext } from "./context.ts";
import { serializeError } from "./error-codec.ts";
import type { AppendOptions, EventLog } from "./event-log.ts";
import { openBlock, sameDivergence } from "./divergence.ts";
import type { Divergence, EventOf, NewRunEvent, RunEvent } from "./events.ts";
import { checkDeterminism, checkLimits } from "./guards.ts";
import { inputHash } from "./input-hash.ts";
import { DEFAULT_LIMITS, type RunLimits } from "./limits.ts";
import { runOrOffload } from "./offload.ts";
import { PassAbort } from "./pass-abort.ts";
import { Scope } from "./run-scope.ts";
import {
  ambientScope,
  type ChildCall,
  type HookHandle,
  type HookOptions,
  type RunInfo,
  type StepCall,
} from "./scope.ts";
import { Settling } from "./settling.ts";
import { workflowBody } from "./workflow-body.ts";
import type { DriveOptions, DriveOutcome } from "./drive-types.ts";
import { StepIdentity } from "./step-identity.ts";
import { applyStepEvent, buildStepRecords, type StepRecord } from "./step-records.ts";
import { outputFields, outputOptions, replayed, storeOutput } from "./step-outputs.ts";
import { decodeValue } from "./value-codec.ts";
import { hookStep, sleepStep } from "./waits.ts";

export { PassAbort } from "./pass-abort.ts";

export type { DriveOptions, DriveOutcome, Wait } from "./drive-types.ts";

const DEFAULT_STEP_BUDGET = 20_000;

/**
 * One pass of one run. Its members are shared with the rest of sdk/engine (attempt.ts,
 * waits.ts, child-step.ts, step-outputs.ts, settling.ts, run-scope.ts); nothing outside uses them.
 */
export class Driver {
  readonly runId: string;
  info!: RunInfo;
  readonly records: Map<string, StepRecord>;
  /** Which recorded step each call of this pass is (decision 0016). */
  readonly identity: StepIdentity;
  /** How many of the log's events `records` reflects (see `catchUp`). */
  private applied: number;
  readonly settling = new Settling(this);
  readonly controllers = new Set<AbortController>();
  inFlight = 0;
  activity = 0;
  liveSteps = 0;
  readonly limits: RunLimits;
  finished = false;
  /** The log says the run was canceled: the pass records nothing more. */
  private canceled = false;
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
    this.identity = new StepIdentity(this.records, options.callSites);
    this.applied = log.events.length;
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
    if (terminal?.type === "run_completed")
      return Promise.resolve({
        status: "completed",
        output: terminal.encoded ? decodeValue(terminal.output) : terminal.output,
      });
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
      Promise.resolve().then(() => workflowBody(this.workflow)(parsed.data, ctx)),
    );
    body
      .then(
        (output) => this.complete(output),
        (error) => this.fail(error),
      )
      // A failed append has already ended the pass through `outcome`.
      .catch(() => undefined);
    this.settling.scheduleIdleCheck();
    return this.outcome;
  }

  async complete(output: unknown): Promise<void> {
    if (this.finished) return;
    if (this.fatal) return this.fail(this.fatal);
    const parsed = this.workflow.output.safeParse(output);
    if (!parsed.success) {
      const message = `workflow ${this.workflow.slug} returned output that does not match its output schema`;
      return this.fail(new ValidationError("invalid_output", message, parsed.error.issues));
    }
    if (this.options.probe) return this.finish({ status: "suspended", waits: [] });
    let stored: Awaited<ReturnType<typeof storeOutput>>;
    try {
      stored = await storeOutput(this, "the workflow", parsed.data);
    } catch (error) {
      return this.fail(error); // a no-op when storing failed: that ended the pass already
    }
    if (this.finished) return;
    this.append({ type: "run_completed", ...outputFields(stored) }, outputOptions(stored));
    // The caller sees what a later read of the log gives: a value the log encoded, decoded.
    this.finish({ status: "completed", output: stored.encoded ? decodeValue(stored.output) : parsed.data });
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
    this.canceled = true;
    for (const controller of this.controllers) controller.abort(new Error("run canceled"));
    this.finish({ status: "canceled" });
  }

  finish(outcome: DriveOutcome): void {
    if (this.finished) return;
    this.finished = true;
    for (const controller of this.controllers) controller.abort(new Error("run pass ended"));
    this.resolveOutcome(outcome);
  }

  /** The log could not record: the pass ends with its error, and nothing more is recorded. */
  logFailed(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    for (const controller of this.controllers) controller.abort(new Error("run pass ended"));
    this.rejectOutcome(error);
  }

  /**
   * The code no longer makes the call the log recorded: the run is parked, not failed (decision
   * 0018). Records `run_blocked` once per reason and ends the pass; the run keeps its timers and
   * hooks, and a later pass that replays cleanly unblocks it. A probe records nothing.
   */
  diverge(reason: Divergence): void {
    if (this.finished) return;
    if (!this.options.probe && !sameDivergence(openBlock(this.log.events), reason))
      this.append({ type: "run_blocked", reason });
    const waits = this.options.probe ? [] : [...this.settling.blocked.values()];
    this.finish({ status: "blocked", reason, waits });
  }

  /** Code that reached an impossible state ends the run, whatever the user's `catch` does. */
  abortPass(error: Error): never {
    this.fatal = error;
    this.fail(error);
    throw new PassAbort(error.message);
  }

  /**
   * Applies the events appended from outside the pass since the driver last looked (a hook
   * resumed, the run canceled): the run object shares its log with the pass, and no decision
   * about a step may rest on step records older than the log. One length check when nothing came.
   */
  catchUp(): void {
    const events = this.log.events;
    while (this.applied < events.length) {
      const event = events[this.applied++]!;
      if (event.type === "run_canceled") this.cancel();
      else {
        applyStepEvent(this.records, event);
        this.identity.observe(event);
      }
    }
  }

  append(event: NewRunEvent, options?: AppendOptions): RunEvent | undefined {
    this.catchUp();
    if (this.canceled || (this.finished && event.type !== "run_completed" && event.type !== "run_failed"))
      return undefined;
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
    if (this.log.events[this.applied] === stored) this.catchUp();
    else {
      applyStepEvent(this.records, stored);
      this.identity.observe(stored);
    }
    this.activity++;
    return stored;
  }

  // ---- steps ---------------------------------------------------------------------------

  step<T>(stepId: string, call: StepCall<T>, site?: string): Promise<T> {
    this.catchUp();
    if (this.finished) return new Promise<never>(() => {});
    const hash = inputHash(call.input);
    const record = this.records.get(stepId);
    if (checkDeterminism(this, stepId, record, call, hash, site)) return new Promise<never>(() => {});
    checkLimits(this, stepId, record);
    if (record) {
      const done = replayed(this, record, call);
      if (done) return done;
      if (record.retrying && record.retrying.retryAt > this.now()) {
        return this.settling.block({ kind: "retry", stepId, wakeAt: record.retrying.retryAt }, stepId);
      }
    }
    if (this.options.probe) return this.settling.block({ kind: "yield", wakeAt: this.now() }, stepId);
    const budget = this.options.stepBudget ?? DEFAULT_STEP_BUDGET;
    if (this.liveSteps >= budget) return this.settling.block({ kind: "yield", wakeAt: this.now() }, "yield");
    this.liveSteps++;
    return runOrOffload(this, stepId, call, hash, record, site);
  }

  child<T>(stepId: string, call: ChildCall<T>, site?: string): Promise<T> {
    return childStep(this, stepId, call, site);
  }

  sleep(stepId: string, target: Duration | Date, site?: string): Promise<void> {
    return sleepStep(this, stepId, target, site);
  }

  hook<T>(stepId: string, options: HookOptions<T>, site?: string): HookHandle<T> {
    return hookStep(this, stepId, options, site);
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
