// When the workflow's code hears of a step: recorded results settle in log order, and a pass
// with nothing executing and nothing new to do is over (completed elsewhere, or suspended).
import type { Driver, Wait } from "./driver.ts";

type Settle = () => void;

/** The ready queue and the idle check of one pass. */
export class Settling {
  private readyQueue: { seq: number; settle: Settle }[] = [];
  private flushScheduled = false;
  private idleCheckScheduled = false;
  /** What the code waits for, by step id: the pass suspends on these once it is idle. */
  readonly blocked = new Map<string, Wait>();

  constructor(private readonly driver: Driver) {}

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
      this.driver.activity++;
      for (const item of queue) item.settle();
    });
  }

  /** A promise that never settles in this pass: the run suspends with `wait`. */
  block(wait: Wait, key: string): Promise<never> {
    this.blocked.set(key, wait);
    this.scheduleIdleCheck();
    return new Promise<never>(() => {});
  }

  /**
   * What the pass suspends on. An offloaded step whose report landed while this pass ran (decision
   * 0023) is replayed by the next pass at once, instead of leaving its re-dispatch timer behind.
   */
  private waits(): Wait[] {
    const driver = this.driver;
    const waits = [...this.blocked.values()];
    if (!waits.some((wait) => wait.kind === "offload")) return waits;
    driver.catchUp();
    return waits.map((wait) => {
      if (wait.kind !== "offload") return wait;
      const record = driver.records.get(wait.stepId);
      const reported = record?.completed || record?.failed || record?.retrying;
      return reported ? { kind: "yield", wakeAt: driver.now() } : wait;
    });
  }

  /** After every microtask has run: nothing executing and nothing new means the pass is done. */
  scheduleIdleCheck(): void {
    const driver = this.driver;
    if (this.idleCheckScheduled || driver.finished) return;
    this.idleCheckScheduled = true;
    const mark = driver.activity;
    setTimeout(() => {
      this.idleCheckScheduled = false;
      if (driver.finished || driver.inFlight > 0) return;
      if (driver.activity !== mark) {
        this.scheduleIdleCheck();
        return;
      }
      if (this.blocked.size > 0) {
        driver.finish({ status: "suspended", waits: this.waits() });
        return;
      }
      // The code awaits something that is not a step (a bare fetch, a timer): keep waiting.
      this.idleCheckScheduled = true;
      setTimeout(() => {
        this.idleCheckScheduled = false;
        driver.activity++;
        this.scheduleIdleCheck();
      }, 5);
    }, 0);
  }
}
