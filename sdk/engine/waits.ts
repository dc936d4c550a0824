// The durable waits: `ctx.sleep` and `ctx.hook`, recorded once and settled from the log.
import { z } from "zod";
import { parseDuration, type Duration, wakeTimeFor } from "../duration.ts";
import { HookTimeoutError } from "../errors.ts";
import type { Driver } from "./driver.ts";
import type { HookHandle, HookOptions } from "./scope.ts";

/** `ctx.sleep`: records the wake time once, completes when the run's clock passes it. */
export function sleepStep(driver: Driver, stepId: string, target: Duration | Date, site?: string): Promise<void> {
  driver.catchUp();
  if (driver.finished) return new Promise<never>(() => {});
  let record = driver.records.get(stepId);
  if (record?.sleep?.completedSeq) {
    const seq = record.sleep.completedSeq;
    return new Promise<void>((resolve) => driver.settling.ready(seq, resolve));
  }
  if (driver.options.probe) return driver.settling.block({ kind: "yield", wakeAt: driver.now() }, stepId);
  if (!record?.sleep) {
    driver.append({
      type: "sleep_started",
      stepId,
      wakeAt: wakeTimeFor(target, driver.now()),
      ...(site ? { site } : {}),
    });
    record = driver.records.get(stepId)!;
  }
  const wakeAt = record.sleep!.wakeAt;
  if (wakeAt <= driver.now()) {
    const stored = driver.append({ type: "sleep_completed", stepId });
    return new Promise<void>((resolve) => driver.settling.ready(stored?.seq ?? 0, resolve));
  }
  return driver.settling.block({ kind: "sleep", stepId, wakeAt }, stepId);
}

/** `ctx.hook`: creates the token once and returns the awaitable handle at once. */
export function hookStep<T>(driver: Driver, stepId: string, options: HookOptions<T>, site?: string): HookHandle<T> {
  driver.catchUp();
  let record = driver.records.get(stepId);
  if (!record?.hook && !driver.options.probe && !driver.finished) {
    const token = driver.options.newToken?.() ?? `${driver.runId}.${crypto.randomUUID()}`;
    const timeoutAt = options.timeout === undefined ? undefined : driver.now() + parseDuration(options.timeout);
    driver.append({
      type: "hook_created",
      stepId,
      token,
      ...(timeoutAt ? { timeoutAt } : {}),
      ...hookSchemaField(options.schema),
      ...(options.resumeOnGet ? { resumeOnGet: true as const } : {}),
      ...(site ? { site } : {}),
    });
    record = driver.records.get(stepId);
  }
  const token = record?.hook?.token ?? "";
  if (token && options.schema) driver.options.hookSchemas?.set(token, options.schema as HookOptions<unknown>["schema"]);
  let promise: Promise<T> | undefined;
  const wait = (): Promise<T> => {
    promise ??= awaitHook(driver, stepId, options);
    return promise;
  };
  return {
    id: stepId,
    token,
    resumeUrl: token ? (driver.options.resumeUrl?.(token) ?? `/hooks/${token}`) : "",
    // biome-ignore lint/suspicious/noThenProperty: the handle is deliberately awaitable.
    then: (onFulfilled, onRejected) => wait().then(onFulfilled, onRejected),
  };
}

/** Awaiting a hook: its recorded resume, its timeout, or a wait that suspends the run. */
function awaitHook<T>(driver: Driver, stepId: string, options: HookOptions<T>): Promise<T> {
  // A resume accepted while this pass ran is in the log: it wins over a timeout decided now.
  driver.catchUp();
  if (driver.finished) return new Promise<never>(() => {});
  const hook = driver.records.get(stepId)?.hook;
  if (!hook) return driver.settling.block({ kind: "yield", wakeAt: driver.now() }, stepId);
  if (hook.resumed) {
    const { seq, payload } = hook.resumed;
    return new Promise<T>((resolve, reject) =>
      driver.settling.ready(seq, () => {
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
    return new Promise<T>((_, reject) => driver.settling.ready(seq, () => reject(new HookTimeoutError(stepId))));
  }
  if (hook.timeoutAt !== undefined && hook.timeoutAt <= driver.now() && !driver.options.probe) {
    const stored = driver.append({ type: "hook_timed_out", stepId });
    return new Promise<T>((_, reject) =>
      driver.settling.ready(stored?.seq ?? 0, () => reject(new HookTimeoutError(stepId))),
    );
  }
  return driver.settling.block({ kind: "hook", stepId, token: hook.token, timeoutAt: hook.timeoutAt }, stepId);
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
