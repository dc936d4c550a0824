// Errors cross the event log as plain data; this rebuilds them with name, message, code and
// stack intact, so a replayed failure looks exactly like the original one to user code.
import { CairnError, HookTimeoutError, NonDeterminismError, NonRetryableError, StepTimeoutError } from "../errors.ts";
import type { SerializedError } from "./events.ts";

/** Turns anything thrown into its stored form. */
export function serializeError(thrown: unknown): SerializedError {
  if (thrown instanceof Error) {
    const withCode = thrown as Error & { code?: unknown; details?: unknown };
    const serialized: SerializedError = { name: thrown.name, message: thrown.message };
    if (typeof withCode.code === "string") serialized.code = withCode.code;
    if (thrown.stack) serialized.stack = thrown.stack;
    if (withCode.details !== undefined) serialized.details = withCode.details;
    return serialized;
  }
  return { name: "Error", message: typeof thrown === "string" ? thrown : JSON.stringify(thrown) };
}

const knownPrototypes: Record<string, object> = {
  CairnError: CairnError.prototype,
  NonRetryableError: NonRetryableError.prototype,
  NonDeterminismError: NonDeterminismError.prototype,
  HookTimeoutError: HookTimeoutError.prototype,
  StepTimeoutError: StepTimeoutError.prototype,
};

/** Rebuilds a stored error; Cairn's own classes keep `instanceof`, user classes keep their name. */
export function deserializeError(stored: SerializedError): Error {
  const error = new Error(stored.message);
  const prototype = knownPrototypes[stored.name];
  if (prototype) Object.setPrototypeOf(error, prototype);
  Object.defineProperty(error, "name", { value: stored.name, writable: true, configurable: true });
  if (stored.code !== undefined) Object.defineProperty(error, "code", { value: stored.code, enumerable: true });
  if (stored.details !== undefined)
    Object.defineProperty(error, "details", { value: stored.details, enumerable: true });
  error.stack = stored.stack ?? `${stored.name}: ${stored.message}`;
  return error;
}
