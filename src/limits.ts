// Every limit in one place, with the defaults the docs promise.

/** Largest request body any route accepts. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
/** Live steps one alarm pass executes before yielding to a fresh pass. */
export const STEP_BUDGET_PER_PASS = 20_000;
/** Largest page of events or runs one request returns. */
export const MAX_PAGE_SIZE = 1_000;
export const DEFAULT_PAGE_SIZE = 100;
/** Longest `?wait=` a start request may hold the connection. */
export const MAX_WAIT_SECONDS = 60;
/** Delay before retrying a failed write to the run index. */
export const INDEX_RETRY_DELAY_MS = 2_000;
/** Step and run outputs at least this large (bytes of JSON) are stored in R2, not in the log row. */
export const LARGE_VALUE_BYTES = 128 * 1024;
/** Largest step output without an R2 bucket bound (a SQLite row holds at most 2 MB). */
export const MAX_INLINE_OUTPUT_BYTES = 1024 * 1024;
