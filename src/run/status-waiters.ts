// Callers waiting for a run to reach a status (`?wait=`, tests, the CLI): woken on change.

export class StatusWaiters {
  private readonly waiters = new Set<{ until: ReadonlySet<string>; wake: () => void }>();

  /** Resolves once `notify` reports one of `until`, or after `timeoutMs`. */
  wait(until: ReadonlySet<string>, timeoutMs: number): Promise<void> {
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

  notify(status: string): void {
    for (const waiter of this.waiters) {
      if (!waiter.until.has(status)) continue;
      this.waiters.delete(waiter);
      waiter.wake();
    }
  }
}
