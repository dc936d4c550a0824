// Query parameters shared by several routes, parsed with coded errors.
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_WAIT_SECONDS } from "../limits.ts";
import { ApiError } from "./errors.ts";

/** `?wait=<seconds>` (empty means the longest allowed), capped; undefined when absent. */
export function waitSeconds(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw === "" ? MAX_WAIT_SECONDS : raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new ApiError("invalid_query", "wait must be a number of seconds");
  return Math.min(seconds, MAX_WAIT_SECONDS);
}

/** `?limit=`, from 1 to the largest page. */
export function pageSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_PAGE_SIZE;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ApiError("invalid_query", `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return Math.min(limit, MAX_PAGE_SIZE);
}
