// Human output: tables, durations and status colours (only on a terminal).

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const dim = paint(2);
export const bold = paint(1);

const STATUS_COLOR: Record<string, (text: string) => string> = {
  success: paint(32),
  completed: paint(32),
  failed: paint(31),
  canceled: paint(90),
  running: paint(36),
  queued: paint(36),
  retrying: paint(33),
  sleeping: paint(35),
  waiting: paint(35),
  waiting_on_hook: paint(35),
  paused: paint(33),
  blocked: paint(31),
  enabled: paint(32),
  disabled: paint(90),
};

export function status(text: string): string {
  return (STATUS_COLOR[text] ?? ((t: string) => t))(text);
}

/** "1.2 s", "340 ms", "3 min" */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function between(start?: string, end?: string): string {
  if (!start || !end) return "";
  return duration(Date.parse(end) - Date.parse(start));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure width.
const visible = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "").length;

/** A plain aligned table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + " ".repeat(Math.max(0, widths[i]! - visible(c))))
      .join("  ")
      .trimEnd();
  return [bold(line(headers)), ...rows.map(line)].join("\n");
}

/** A value as one short line of JSON: at most `max` characters, cut with "…". */
export function short(value: unknown, max = 80): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Epoch ms or an ISO string as `2026-12-02T07:20:03.123Z`. */
export function timestamp(at: number | string): string {
  return new Date(at).toISOString();
}

interface Issue {
  path?: (string | number)[];
  message?: string;
}

/**
 * The field paths and messages of a validation error (`details.issues` of a 400 `invalid_input`),
 * one per line: `  items[0].sku: Required`. Empty when the details hold no issues.
 */
export function issueLines(details: Record<string, unknown> | undefined): string[] {
  const issues = details?.issues;
  if (!Array.isArray(issues)) return [];
  return (issues as Issue[]).map((issue) => `  ${issuePath(issue.path)}: ${issue.message ?? "invalid"}`);
}

function issuePath(path: Issue["path"]): string {
  if (!Array.isArray(path) || path.length === 0) return "(input)";
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`))
    .join("");
}

/** The "Examples:" block a command's help ends with (`addHelpText("after", examples(...))`). */
export function examples(...commands: string[]): string {
  return `\nExamples:\n${commands.map((command) => `  $ ${command}`).join("\n")}`;
}
