// What Durable Object RPC methods return: errors travel as coded data, because custom error
// classes and their `code` do not survive the RPC boundary.

export interface Failure {
  ok: false;
  error: { code: string; message: string; details?: unknown };
}
export type Result<T> = { ok: true; value: T } | Failure;

/** A coded failure, as the HTTP error table maps it. */
export function fail(code: string, message: string, details?: unknown): Failure {
  return { ok: false, error: { code, message, ...(details === undefined ? {} : { details }) } };
}
