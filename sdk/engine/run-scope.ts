// A workflow body's view of the driver: the step-id prefix and counters of one scope.
import type { Duration } from "../duration.ts";
import type { Driver } from "./driver.ts";
import type { ChildCall, HookHandle, HookOptions, RunInfo, StepCall, StepScope } from "./scope.ts";

/** One workflow body's view of the driver: a prefix and per-name counters for step ids. */
export class Scope implements StepScope {
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
