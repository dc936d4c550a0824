// Errors cross the event log as plain data; this rebuilds them with name, message, code and
// stack intact and with the class a workflow's `catch` tests, so a replayed failure takes the
// same branch as the original one (a user subclass keeps its nearest known ancestor).
import { ERROR_CLASSES } from "../errors.ts";
import type { SerializedError } from "./events.ts";

/**
 * Classes an error keeps across replay: Cairn's own and the client's (an action may call another
 * run) — one list, next to them in errors.ts — and JavaScript's built-in ones.
 */
const KNOWN_CLASSES: readonly (abstract new (...args: never[]) => Error)[] = [
  ...ERROR_CLASSES,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
  AggregateError,
];
const prototypeByName = new Map<string, object>(KNOWN_CLASSES.map((known) => [known.name, known.prototype]));
const nameByPrototype = new Map<object, string>(KNOWN_CLASSES.map((known) => [known.prototype, known.name]));

/** The nearest known class in the error's prototype chain; undefined for a plain Error. */
function knownBase(error: Error): string | undefined {
  for (
    let proto = Object.getPrototypeOf(error);
    proto && proto !== Error.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const name = nameByPrototype.get(proto);
    if (name) return name;
  }
  return undefined;
}

/** Turns anything thrown into its stored form. */
export function serializeError(thrown: unknown): SerializedError {
  if (thrown instanceof Error) {
    const withCode = thrown as Error & { code?: unknown; details?: unknown };
    const serialized: SerializedError = { name: thrown.name, message: thrown.message };
    if (typeof withCode.code === "string") serialized.code = withCode.code;
    if (thrown.stack) serialized.stack = thrown.stack;
    if (withCode.details !== undefined) serialized.details = withCode.details;
    // The class is recorded only when the name does not already say it: a user subclass
    // (PaymentDeclined extends NonRetryableError), or an unrelated error that borrowed a known
    // name ("Error" then, so it does not come back as the known class).
    const base = knownBase(thrown);
    if (base !== undefined ? base !== thrown.name : prototypeByName.has(thrown.name)) serialized.base = base ?? "Error";
    return serialized;
  }
  return { name: "Error", message: typeof thrown === "string" ? thrown : JSON.stringify(thrown) };
}

/** Rebuilds a stored error: known classes keep `instanceof` (user subclasses their nearest known one) and every error its name. */
export function deserializeError(stored: SerializedError): Error {
  const error = new Error(stored.message);
  const prototype = prototypeByName.get(stored.base ?? stored.name);
  if (prototype) Object.setPrototypeOf(error, prototype);
  Object.defineProperty(error, "name", { value: stored.name, writable: true, configurable: true });
  if (stored.code !== undefined) Object.defineProperty(error, "code", { value: stored.code, enumerable: true });
  if (stored.details !== undefined)
    Object.defineProperty(error, "details", { value: stored.details, enumerable: true });
  error.stack = stored.stack ?? `${stored.name}: ${stored.message}`;
  return error;
}
