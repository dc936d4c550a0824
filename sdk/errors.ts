// Error classes workflow authors throw or catch. Each has a stable `code`; the HTTP layer maps
// codes to statuses in one table, and nothing classifies an error by its message text.

/** Base class of every error Cairn raises on purpose. */
export class CairnError extends Error {
  readonly code: string;
  readonly details?: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/**
 * Thrown from an action to fail the step at once, skipping the remaining attempts.
 * @example
 * if (res.status === 404) throw new NonRetryableError("customer does not exist");
 */
export class NonRetryableError extends Error {
  readonly code = "non_retryable";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NonRetryableError";
  }
}

/** A replay reached a step id whose recorded call differs from the one the code makes now. */
export class NonDeterminismError extends CairnError {
  constructor(stepId: string, expected: string, actual: string) {
    super(
      "non_determinism",
      `step ${stepId} was recorded as ${expected} but the workflow now calls ${actual}; the workflow code changed under a live run or branches on something other than its input and step results`,
      { stepId, expected, actual },
    );
  }
}

/** Awaiting a hook whose `timeout` passed before anyone resumed it. */
export class HookTimeoutError extends CairnError {
  constructor(stepId: string) {
    super("hook_timed_out", `hook ${stepId} was not resumed before its timeout`, { stepId });
  }
}

/** An action attempt ran longer than its `timeout`; counts as a failed attempt. */
export class StepTimeoutError extends CairnError {
  constructor(stepId: string, timeoutMs: number) {
    super("step_timed_out", `step ${stepId} did not finish within ${timeoutMs} ms`, {
      stepId,
      timeoutMs,
    });
  }
}

/** Data failed a zod schema: a workflow or action input/output, or a hook payload. */
export class ValidationError extends CairnError {
  constructor(code: string, message: string, issues: unknown) {
    super(code, message, { issues });
  }
}

/** A Cairn API used where it cannot work (a step in an action, a sleep outside a run...). */
export class UsageError extends CairnError {
  constructor(message: string) {
    super("usage_error", message);
  }
}

/** A rejected request: the server's status and coded error. */
export class CairnApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "CairnApiError";
  }
}

/** No server answered at the URL. */
export class CairnConnectionError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`no server at ${url} — start one with \`cairn dev\` (or set --url / CAIRN_URL)`, { cause });
    this.name = "CairnConnectionError";
  }
}

/**
 * Every error class above, the one list error-codec.ts rebuilds from on replay: a failure a
 * workflow catches with `instanceof` must take the same branch when its step is replayed. A new
 * error class goes here (test/unit/error-codec.test.ts fails for an exported class missing).
 */
export const ERROR_CLASSES: readonly (abstract new (...args: never[]) => Error)[] = [
  CairnError,
  NonRetryableError,
  NonDeterminismError,
  HookTimeoutError,
  StepTimeoutError,
  ValidationError,
  UsageError,
  CairnApiError,
  CairnConnectionError,
];
