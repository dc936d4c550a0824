// Call-site marks: `cairn generate` rewrites each step call in a workflow file from
// `processItem.run(x)` to `atCallSite("k3f9a2", processItem).run(x)`, so the step scope learns
// which call site in the code made the call (decision 0016). The mark is handed over
// synchronously: set just before the wrapped method runs, taken by the first step the call makes.

let pending: string | undefined;

/** Takes the call site marked for the step being created now, if any (and clears it). */
export function takeCallSite(): string | undefined {
  const site = pending;
  pending = undefined;
  return site;
}

function marked<F extends (...args: never[]) => unknown>(site: string, fn: F, self: unknown): F {
  return function (this: unknown, ...args: Parameters<F>) {
    const previous = pending;
    pending = site;
    try {
      return fn.apply(self ?? this, args);
    } finally {
      pending = previous;
    }
  } as F;
}

/**
 * Marks the step call made through `target` (an action, agent or workflow, the workflow's `ctx`,
 * or a function such as `promptLlm`) with the stable id of its call site. Written by
 * `cairn generate` into the copies of workflow files it registers; never needed by hand.
 * @example atCallSite("k3f9a2", processItem).run({ id })
 */
export function atCallSite<T>(site: string, target: T): T {
  if (typeof target === "function") return marked(site, target as (...args: never[]) => unknown, undefined) as T;
  if (target === null || typeof target !== "object") return target;
  return new Proxy(target as object, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver);
      return typeof value === "function" ? marked(site, value as (...args: never[]) => unknown, object) : value;
    },
  }) as T;
}
