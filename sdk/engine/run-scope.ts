// A workflow body's view of the driver: the step-id prefix and counters of one scope.
import type { Duration } from "../duration.ts";
import { UsageError } from "../errors.ts";
import type { Driver } from "./driver.ts";
import type { ChildCall, HookHandle, HookOptions, RunInfo, StepCall, StepScope } from "./scope.ts";

/** One workflow body's view of the driver: a prefix and per-name counters for step ids. */
export class Scope implements StepScope {
  private readonly counters = new Map<string, number>();
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

  /** `<prefix><name>#<n>`: n counts earlier calls of the same name in this scope. */
  private nextId(name: string): string {
    const n = this.counters.get(name) ?? 0;
    this.counters.set(name, n + 1);
    return `${this.prefix}${name}#${n}`;
  }

  private refuse(what: string): UsageError {
    return new UsageError(
      `ctx.${what} cannot be used here: ${this.forbidWaits}; sleeps and hooks need the workflow to run as its own durable run`,
    );
  }

  step<T>(call: StepCall<T>): Promise<T> {
    return this.driver.step(this.nextId(call.name), call);
  }
  child<T>(call: ChildCall<T>): Promise<T> {
    return this.driver.child(this.nextId(call.name), { ...call, forbidWaits: call.forbidWaits ?? this.forbidWaits });
  }
  sleep(target: Duration | Date): Promise<void> {
    if (this.forbidWaits) return Promise.reject(this.refuse("sleep"));
    return this.driver.sleep(this.nextId("sleep"), target);
  }
  hook<T>(options: HookOptions<T> = {}): HookHandle<T> {
    if (this.forbidWaits) throw this.refuse("hook");
    return this.driver.hook(this.nextId("hook"), options);
  }
}
