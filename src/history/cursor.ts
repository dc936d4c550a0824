// The opaque cursor of run listings: the (createdAt, runId) of the last run of a page.

/** Encodes the position after which the next page starts. */
export function encodeCursor(createdAt: number, runId: string): string {
  return btoa(`${createdAt}:${runId}`);
}

/** The position a cursor names, or undefined for a missing or malformed one (the first page). */
export function decodeCursor(cursor: string | undefined): { createdAt: number; runId: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, runId] = atob(cursor).split(":");
    if (!runId || !Number.isFinite(Number(createdAt))) return undefined;
    return { createdAt: Number(createdAt), runId };
  } catch {
    return undefined;
  }
}
