// A workflow body's view of the driver: the step-id prefix and the counters of one scope, and the
// call site each step call was made from (decision 0016).
import type { Duration } from "../duration.ts";
import { UsageError } from "../errors.ts";
import { takeCallSite } from "./call-site.ts";
import { divergenceOf, recordableInput } from "./divergence.ts";
import type { Driver } from "./driver.ts";
import type { LogLevel } from "./events.ts";
import { recordedCall } from "./guards.ts";
import { inputHash } from "./input-hash.ts";
import { patchStep } from "./patch-step.ts";
import type { ChildCall, HookHandle, HookOptions, RunInfo, StepCall, StepScope } from "./scope.ts";
import type { Identity } from "./step-identity.ts";
import { recordWorkflowLog } from "./workflow-logs.ts";

const never = <T>() => new Promise<T>(() => {});

/** One workflow body's view of the driver: a prefix, per-name and per-site counters for step ids. */
export class Scope implements StepScope {
  private readonly counters = new Map<string, number>();
  private readonly siteCounters = new Map<string, number>();
  constructor(
    private readonly driver: Driver,
    private readonly prefix: string,
    /** Set when durable waits cannot work here, with the reason (e.g. a tool of an agent). */
    private readonly forbidWaits?: string,
  ) {}

  get runId(): string {
    return this.driver.runId;
  }
  get info(): RunInfo {
    return this.driver.info;
  }
  get stepId(): string | undefined {
    return this.prefix ? this.prefix.slice(0, -1) : undefined;
  }

  /**
   * The step a call is: taken synchronously at call time, with the call site the instrumented code
   * marked (if any). An edited call whose input changed is a divergence: the pass ends blocked.
   */
  private identify(kind: string, name: string, input: unknown, site = takeCallSite()): Identity | undefined {
    const nameIndex = this.counters.get(name) ?? 0;
    this.counters.set(name, nameIndex + 1);
    let siteIndex = 0;
    if (site !== undefined) {
      siteIndex = this.siteCounters.get(site) ?? 0;
      this.siteCounters.set(site, siteIndex + 1);
    }
    const hash = () => (kind === "sleep" || kind === "hook" ? undefined : inputHash(input));
    const identity = this.driver.identity.resolve({
      prefix: this.prefix,
      kind,
      name,
      nameIndex,
      site,
      siteIndex,
      hash,
    });
    if (!identity.diverged) return identity;
    const current = { kind, name, input: recordableInput(input), inputHash: hash() ?? "" };
    this.driver.diverge(divergenceOf(identity.stepId, identity.site, recordedCall(identity.diverged), current));
    return undefined;
  }

  private refuse(what: string): UsageError {
    return new UsageError(
      `ctx.${what} cannot be used here: ${this.forbidWaits}; sleeps and hooks need the workflow to run as its own durable run`,
    );
  }

  step<T>(call: StepCall<T>): Promise<T> {
    const id = this.identify(call.kind, call.name, call.input);
    return id ? this.driver.step(id.stepId, call, id.site) : never();
  }
  child<T>(call: ChildCall<T>): Promise<T> {
    const id = this.identify(call.kind ?? "workflow", call.name, call.input);
    if (!id) return never();
    return this.driver.child(id.stepId, { ...call, forbidWaits: call.forbidWaits ?? this.forbidWaits }, id.site);
  }
  sleep(target: Duration | Date): Promise<void> {
    const site = takeCallSite();
    if (this.forbidWaits) return Promise.reject(this.refuse("sleep"));
    const id = this.identify("sleep", "sleep", undefined, site);
    return id ? this.driver.sleep(id.stepId, target, id.site) : never();
  }
  hook<T>(options: HookOptions<T> = {}): HookHandle<T> {
    const site = takeCallSite();
    if (this.forbidWaits) throw this.refuse("hook");
    const id = this.identify("hook", "hook", undefined, site);
    // biome-ignore lint/suspicious/noThenProperty: the handle is awaitable; the pass is over, so it never settles.
    if (!id) return { id: "", token: "", resumeUrl: "", then: (resolve, reject) => never<T>().then(resolve, reject) };
    return this.driver.hook(id.stepId, options, id.site);
  }
  log(logId: string, level: LogLevel, message: string): boolean {
    return recordWorkflowLog(this.driver, `${this.prefix}${logId}`, level, message);
  }
  patched(patchId: string): boolean {
    const id = this.identify("patch", patchId, undefined);
    return id ? patchStep(this.driver, id.stepId, patchId, id.site) : false;
  }
}
