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
/**
 * Large values read from R2 at once while a log loads: up to this many, and no more than
 * LARGE_VALUE_READ_BYTES together (a bigger value goes alone), so loading a run never holds many
 * big values in flight in a 128 MB isolate.
 */
export const LARGE_VALUE_READS = 6;
export const LARGE_VALUE_READ_BYTES = 16 * 1024 * 1024;
/** R2 keys listed and deleted per request when a run is purged (R2's own maximum for both). */
export const R2_DELETE_BATCH = 1000;
/** Largest step output without an R2 bucket bound (a SQLite row holds at most 2 MB). */
export const MAX_INLINE_OUTPUT_BYTES = 1024 * 1024;
/** Finished runs are deleted this many days after they finish (CAIRN_RETENTION_DAYS overrides). */
export const DEFAULT_RETENTION_DAYS = 30;
/** The watchdog looks at live runs whose summary has not changed for this long. */
export const STALL_CHECK_AFTER_MS = 10 * 60_000;
/** Runs the watchdog checks per sweep. */
export const STALL_CHECKS_PER_SWEEP = 100;
/** A blocked run is woken to retry its replay at most this often, unless a new deployment serves (decision 0018). */
export const BLOCKED_RECHECK_MS = 5 * 60_000;
/** A newly blocked run first tries its replay again by itself after this long. */
export const BLOCKED_FIRST_RECHECK_MS = 60_000;
/** Blocked runs the per-minute sweep wakes, over the shards it visits. */
export const BLOCKED_POKES_PER_SWEEP = 50;
/** Deepest nesting of arrays and objects a JSON request body may have (checked before parsing). */
export const MAX_JSON_DEPTH = 64;
/** Live event streams one isolate serves at once for one run, and for all runs. */
export const MAX_STREAMS_PER_RUN = 8;
export const MAX_STREAMS_PER_ISOLATE = 256;
/** A live event stream ends after this long; the client reconnects from its last event id. */
export const STREAM_MAX_LIFETIME_MS = 5 * 60_000;
/** The SSE `retry:` hint: how long EventSource waits before it reconnects. */
export const STREAM_RETRY_MS = 1_000;
/** Wrong keys one client IP may present within AUTH_FAILURE_WINDOW_MS before it must wait. */
export const AUTH_FAILURES_BEFORE_BACKOFF = 5;
export const AUTH_FAILURE_WINDOW_MS = 15 * 60_000;
/** The first wait after too many wrong keys; it doubles with each further one, up to the maximum. */
export const AUTH_BACKOFF_BASE_MS = 1_000;
export const AUTH_BACKOFF_MAX_MS = 15 * 60_000;
/** Client IPs the backoff remembers per isolate (the oldest is forgotten first). */
export const AUTH_BACKOFF_TRACKED_IPS = 10_000;
/** History shards (IndexObjects) when CAIRN_HISTORY_SHARDS is unset; a power of two (decision 0015). */
export const DEFAULT_HISTORY_SHARDS = 32;
/** Most history shards a listing may read at once (each is one subrequest per page). */
export const MAX_HISTORY_SHARDS = 256;
/**
 * How often the Worker's cron runs the stall sweep (scheduled.ts), and shards one sweep visits:
 * the default 32 shards and the legacy object in 3 ticks, so a lost alarm is found within 30 minutes.
 */
export const STALL_SWEEP_INTERVAL_MS = 10 * 60_000;
export const STALL_SWEEP_SHARDS_PER_TICK = 12;
/** Steps `GET /runs/:id` returns per page (`?steps_limit=` changes it, up to the maximum). */
export const DEFAULT_STEPS_PAGE_SIZE = 500;
export const MAX_STEPS_PAGE_SIZE = 5_000;
/** Legacy history entries one sweep tick moves into their shards. */
export const HISTORY_DRAIN_BATCH = 200;
/** Runs one `GET /runs/export` page holds by default (`?limit=` changes it, up to the maximum). */
export const DEFAULT_EXPORT_PAGE_SIZE = 25;
export const MAX_EXPORT_PAGE_SIZE = 100;
/** A `GET /runs/export` page stops taking runs once its JSON passes this size (it holds at least one). */
export const MAX_EXPORT_PAGE_BYTES = 8 * 1024 * 1024;
/** History listing pages one `GET /runs/export` request reads before it answers with a cursor. */
export const EXPORT_LISTINGS_PER_REQUEST = 4;
/** Runs exported at once while a page is built, and events read per call from a run. */
export const EXPORT_CONCURRENCY = 8;
export const EXPORT_EVENTS_PER_READ = 1_000;
/** Most finished runs `GET /runs/export?finished=` samples. */
export const MAX_EXPORT_FINISHED = 1_000;
/** Flow control (decision 0020): a run held back re-asks its gate this often, should a wake-up be lost. */
export const FLOW_PARK_RECHECK_MS = 10 * 60_000;
/** A gate checks that the runs holding its slots are still live this often (recovering slots of lost runs). */
export const FLOW_HOLDER_AUDIT_MS = 60_000;
/** A gate retries waking a run it granted a slot after this long. */
export const FLOW_NOTIFY_RETRY_MS = 2_000;
/**
 * A batch's membership (which start went into which batch, so a start asking again gets the same
 * answer) is kept this long after the batch's run started, then dropped.
 */
export const FLOW_BATCH_MEMBERSHIP_MS = 24 * 60 * 60_000;
/** Priority aging: every this long a run waits counts as one point of priority. */
export const FLOW_PRIORITY_AGING_MS = 60_000;
/** Priorities are clamped to ±this. */
export const FLOW_PRIORITY_MAX = 1_000;
/** Longest flow-control key value (characters); a longer one fails the run with `flow_key_failed`. */
export const FLOW_KEY_MAX_CHARS = 256;
/** Keys `GET /workflows/:slug/queues` returns at most. */
export const FLOW_QUEUES_PAGE = 1_000;
/**
 * An offloaded step's attempt (decision 0023) is dispatched again when no report came this long
 * after it started: its action's `timeout` plus OFFLOAD_REPORT_GRACE_MS (queue delivery and the
 * report take time too), or OFFLOAD_REPORT_TIMEOUT_MS for an action without one (a queue
 * consumer's own wall-clock limit).
 */
export const OFFLOAD_REPORT_TIMEOUT_MS = 15 * 60_000;
export const OFFLOAD_REPORT_GRACE_MS = 60_000;
/** Largest input (bytes of JSON) an offloaded step carries in its queue message (Queues take 128 KB); a larger one runs in the run's object. */
export const OFFLOAD_MAX_INPUT_BYTES = 96 * 1024;
/**
 * Batches of R2_DELETE_BATCH keys one purge alarm deletes before it re-arms the alarm for the rest:
 * 10 list + delete round trips (10,000 values) take a second or two, far inside the 30 s a Durable
 * Object may block its input, and an alarm retry never starts over on a run's whole history.
 */
export const R2_DELETE_BATCHES_PER_PURGE_ALARM = 10;
/**
 * Entries of purged runs one history object drops per sweep visit, read through an index. A purge
 * removes its run's entry itself, so shedding is a backstop (an entry whose removal failed or
 * predates shard moves): 200 rows, the size of a legacy drain batch, keep each visit to a few
 * milliseconds however large the backlog, which drains over several visits instead.
 */
export const HISTORY_SHED_BATCH = 200;
/**
 * Margin added to when a history shard first served a shard count: runs created that close to it
 * are looked for in earlier shards too, since their `createdAt` comes from another object's clock.
 */
export const HISTORY_LAYOUT_CLOCK_SKEW_MS = 10_000;
