// Callers waiting for a run to reach a status (`?wait=`, tests, the CLI): woken on change, and only
// once the change is settled (the next alarm armed), so whoever reacts sees the run's timers in place.

export class StatusWaiters {
  private readonly waiters = new Set<{ until: ReadonlySet<string>; wake: () => void }>();
  /** Alarms and cancels between changing the status and arming the next alarm. */
  private unsettled = 0;

  /** `status`: the run's status now ("" once it is gone). */
  constructor(private readonly status: () => string) {}

  /** Resolves once the run settles on one of `until` (at once if it has), or after `timeoutMs`. */
  async until(until: ReadonlySet<string>, timeoutMs: number): Promise<void> {
    if (this.unsettled === 0 && until.has(this.status())) return;
    return new Promise<void>((resolve) => {
      const waiter = {
        until,
        wake: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve();
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Runs work that changes the status and arms the next alarm; waiters hear of it once it is done. */
  async settling<T>(work: () => Promise<T>): Promise<T> {
    this.unsettled++;
    try {
      return await work();
    } finally {
      this.unsettled--;
      this.notify();
    }
  }

  /** Wakes the waiters for the status the run now has, unless an alarm or a cancel is midway. */
  notify(): void {
    if (this.unsettled > 0) return;
    const status = this.status();
    for (const waiter of this.waiters) {
      if (!waiter.until.has(status)) continue;
      this.waiters.delete(waiter);
      waiter.wake();
    }
  }
}
