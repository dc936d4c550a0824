// What Durable Object RPC methods return: errors travel as coded data, because custom error
// classes and their `code` do not survive the RPC boundary.

export interface Failure {
  ok: false;
  error: { code: string; message: string; details?: unknown };
}
export type Result<T> = { ok: true; value: T } | Failure;
