// Step logs: what `ctx.log` and `console.*` write inside one step attempt, bounded in size and
// with credentials redacted, kept per attempt through the ambient scope (so parallel steps never
// mix) and stored with the attempt's outcome event.
import { format } from "node:util";
import type { LogLevel, StepLogLine } from "./events.ts";
import { ambientScope } from "./scope.ts";

export type { LogLevel, StepLogLine } from "./events.ts";

/** Lines one attempt keeps; later lines are counted in a closing "… N more lines dropped" line. */
export const MAX_LOG_LINES_PER_ATTEMPT = 100;
/** Bytes (UTF-8) of messages one attempt keeps, all lines together. */
export const MAX_LOG_BYTES_PER_ATTEMPT = 16 * 1024;
/** Bytes one line keeps; a longer line is cut and says how long it was. */
export const MAX_LOG_LINE_BYTES = 2 * 1024;
/** `ctx.log` lines one workflow body (one scope) records per run; then one "dropped" line. */
export const MAX_WORKFLOW_LOG_LINES = 1_000;
/** Secret values shorter than this are not redacted: a 1-character "secret" would blank every line. */
export const MIN_REDACTED_SECRET_CHARS = 4;
/** What a secret value is replaced with. */
export const REDACTED = "[redacted]";

/** Environment variables whose values never appear in a log: `*_KEY`, `*_TOKEN`, `*_SECRET`, `*PASSWORD`. */
const SECRET_ENV_NAME = /(_KEY|_TOKEN|_SECRET|PASSWORD)$/i;

/** `ctx.log`: one method per level, arguments formatted as `console.log` formats them. */
export interface StepLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];
const CONSOLE_LEVELS: Record<"log" | LogLevel, LogLevel> = {
  log: "info",
  info: "info",
  debug: "debug",
  warn: "warn",
  error: "error",
};

/** The values of environment variables named like secrets (see SECRET_ENV_NAME). */
export function envSecretValues(env: Record<string, unknown>): string[] {
  return Object.entries(env).flatMap(([name, value]) =>
    SECRET_ENV_NAME.test(name) && typeof value === "string" ? [value] : [],
  );
}

/** Where the secret values every log is redacted of come from; the Worker runtime installs its env. */
let secretSource: () => readonly string[] = () =>
  envSecretValues((globalThis as { process?: { env: Record<string, unknown> } }).process?.env ?? {});

/** Installs the source of secret values to redact (the Worker runtime: its env bindings). */
export function setLogSecretSource(source: () => readonly string[]): void {
  secretSource = source;
}

/** The secret values every log line is redacted of (the environment's). */
export function logSecrets(): readonly string[] {
  return secretSource();
}

/** Every string inside `value` (a credential's fields), for redaction. */
function stringLeaves(value: unknown, into: string[] = []): string[] {
  if (typeof value === "string") into.push(value);
  else if (value && typeof value === "object") for (const v of Object.values(value)) stringLeaves(v, into);
  return into;
}

/**
 * `text` with every secret value replaced by `[redacted]`, longest first (so a secret that
 * contains another is replaced whole).
 * @example redact("token=abcd1234", ["abcd1234"]) // "token=[redacted]"
 */
export function redact(text: string, secrets: readonly string[]): string {
  const sorted = [...new Set(secrets)]
    .filter((s) => s.length >= MIN_REDACTED_SECRET_CHARS)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of sorted) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).byteLength;

/**
 * A line cut to MAX_LOG_LINE_BYTES (on a character boundary), saying how long it was.
 * @example cutLine("x".repeat(5000)) // "xxx…(2048 bytes)… [cut: 5000 bytes]"
 */
export function cutLine(message: string): string {
  const bytes = byteLength(message);
  if (bytes <= MAX_LOG_LINE_BYTES) return message;
  const suffix = `… [cut: ${bytes} bytes]`;
  let kept = "";
  let used = byteLength(suffix);
  for (const char of message) {
    const size = byteLength(char);
    if (used + size > MAX_LOG_LINE_BYTES) break;
    kept += char;
    used += size;
  }
  return kept + suffix;
}

/** A message from console-style arguments: strings as is, everything else as `console.log` shows it. */
export function formatArgs(args: readonly unknown[]): string {
  return format(...args);
}

/**
 * The log lines of one step attempt, bounded (lines, bytes, line length) and redacted of the
 * secrets it was given and the environment's. Closed once taken: late lines of an attempt that
 * timed out are ignored.
 */
export class StepLogBuffer {
  private readonly lines: StepLogLine[] = [];
  private bytes = 0;
  private dropped = 0;
  private closed = false;
  private readonly secrets: string[];

  constructor(secrets: readonly string[] = secretSource()) {
    this.secrets = [...secrets];
  }

  /** Adds the values of credentials the step was handed: they are redacted from its lines. */
  addSecrets(values: unknown): void {
    this.secrets.push(...stringLeaves(values));
  }

  write(level: LogLevel, message: string, at = Date.now()): void {
    if (this.closed) return;
    const line = cutLine(redact(message, this.secrets));
    const size = byteLength(line);
    if (this.lines.length >= MAX_LOG_LINES_PER_ATTEMPT || this.bytes + size > MAX_LOG_BYTES_PER_ATTEMPT) {
      this.dropped++;
      return;
    }
    this.lines.push({ level, at, message: line });
    this.bytes += size;
  }

  /** The attempt's lines (with a closing "dropped" line when some were), or undefined for none. */
  take(): StepLogLine[] | undefined {
    this.closed = true;
    if (this.dropped) {
      const at = this.lines.at(-1)?.at ?? Date.now();
      this.lines.push({ level: "warn", at, message: `… ${this.dropped} more lines dropped` });
      this.dropped = 0;
    }
    return this.lines.length ? this.lines : undefined;
  }
}

/** The log buffer of the step attempt running here, if any. */
export function currentStepLogs(): StepLogBuffer | undefined {
  const scope = ambientScope.getStore();
  return scope?.type === "action" ? scope.logs : undefined;
}

/** Console methods as they were before capture, so `ctx.log` prints without being captured twice. */
const original: Record<"log" | LogLevel, (...args: unknown[]) => void> = {
  log: console.log.bind(console),
  info: console.info.bind(console),
  debug: console.debug.bind(console),
  warn: console.warn.bind(console),
  error: console.error.bind(console),
};
let capturing = false;

/**
 * Makes `console.log/info/warn/error/debug` also write to the running step attempt's log (they
 * still print as before). Installed once per isolate, by the first attempt.
 */
export function captureConsole(): void {
  if (capturing) return;
  capturing = true;
  for (const method of Object.keys(CONSOLE_LEVELS) as (keyof typeof CONSOLE_LEVELS)[]) {
    const print = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      print(...args);
      currentStepLogs()?.write(CONSOLE_LEVELS[method], formatArgs(args));
    };
  }
}

/**
 * A `ctx.log` that prints each line and hands it to `record` (which may keep it).
 * @example const log = createLogger((level, message) => (buffer.write(level, message), true));
 */
export function createLogger(record: (level: LogLevel, message: string) => boolean): StepLogger {
  const logger = {} as StepLogger;
  for (const level of LEVELS)
    logger[level] = (...args: unknown[]) => {
      // Printed only when recorded: a workflow body's line is not printed again on every replay.
      if (record(level, formatArgs(args))) original[level](...args);
    };
  return logger;
}

/** The `ctx.log` of an action attempt: into its buffer (when it runs as a step), and printed. */
export function stepLogger(buffer: StepLogBuffer | undefined): StepLogger {
  return createLogger((level, message) => {
    buffer?.write(level, message);
    return true;
  });
}
