// Adds Cairn's pieces to a wrangler.toml as text, so the user's formatting and comments survive.
import { type CairnAdditions, CAIRN_CRON, CAIRN_FLAG } from "./cairn-needs.ts";

const HEADER = /^\s*\[/;

/** Where each line starts a table header: a `[` at the start of a line outside any open array. */
function headerLines(lines: string[]): number[] {
  const headers: number[] = [];
  let depth = 0;
  lines.forEach((line, i) => {
    if (depth === 0 && HEADER.test(line)) {
      headers.push(i);
      return;
    }
    depth = Math.max(0, depth + bracketBalance(line));
  });
  return headers;
}

/** Net `[` minus `]` on a line, outside strings and comments. */
function bracketBalance(line: string): number {
  let balance = 0;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") break;
    else if (c === "[") balance++;
    else if (c === "]") balance--;
  }
  return balance;
}

/** The header line's table name, e.g. `triggers` for `[triggers]  # crons`. */
function tableName(line: string): string {
  return line
    .replace(/#.*$/, "")
    .trim()
    .replace(/^\[+|\]+$/g, "")
    .trim();
}

/** Offset of the `]` closing the array whose `[` is at `open`, skipping strings and comments. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  return -1;
}

/** Offset of the last character in [from, to) outside whitespace and comments, or -1. */
function lastSignificant(text: string, from: number, to: number): number {
  let last = -1;
  let quote: string | undefined;
  for (let i = from; i < to; i++) {
    const c = text[i] ?? "";
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
      last = i;
    } else if (c === "#") {
      while (i < to && text[i] !== "\n") i++;
    } else if (!/\s/.test(c)) {
      if (c === '"' || c === "'") quote = c;
      last = i;
    }
  }
  return last;
}

/** Appends one string to the array value of `key` inside lines [from, to), or returns undefined if absent. */
function appendToArray(lines: string[], from: number, to: number, key: string, value: string): string[] | undefined {
  const keyLine = new RegExp(`^\\s*${key}\\s*=\\s*\\[`);
  const at = lines.slice(from, to).findIndex((l) => keyLine.test(l));
  if (at < 0) return undefined;
  const start = from + at;
  const rest = lines.slice(start).join("\n");
  const open = rest.indexOf("[");
  const close = closingBracket(rest, open);
  if (close < 0) return undefined;
  const last = lastSignificant(rest, open + 1, close);
  const literal = JSON.stringify(value);
  const insert = last < 0 ? literal : rest[last] === "," ? ` ${literal}` : `, ${literal}`;
  const position = last < 0 ? open + 1 : last + 1;
  const edited = rest.slice(0, position) + insert + rest.slice(position);
  return [...lines.slice(0, start), ...edited.split("\n")];
}

/** Inserts top-level keys after the last statement before the first table, where TOML requires them. */
function insertTopLevel(lines: string[], keys: string[]): string[] {
  if (keys.length === 0) return lines;
  const end = headerLines(lines)[0] ?? lines.length;
  let at = end - 1;
  while (at >= 0 && /^\s*(#.*)?$/.test(lines[at] ?? "")) at--;
  if (at < 0) {
    // No statement yet: go below the file's leading comment block.
    at = 0;
    while (at < end && /^\s*#/.test(lines[at] ?? "")) at++;
    return [...lines.slice(0, at), ...keys, ...lines.slice(at)];
  }
  return [...lines.slice(0, at + 1), ...keys, ...lines.slice(at + 1)];
}

const str = JSON.stringify;

/** The `[[...]]` and `[...]` blocks appended at the end of the file. */
function appendedBlocks(a: CairnAdditions, addTriggersTable: boolean): string[] {
  const blocks: string[] = [];
  for (const b of a.durableObjects) {
    blocks.push(`[[durable_objects.bindings]]\nname = ${str(b.name)}\nclass_name = ${str(b.class_name)}`);
  }
  if (a.migration) {
    const classes = a.migration.new_sqlite_classes.map((c) => str(c)).join(", ");
    blocks.push(`[[migrations]]\ntag = ${str(a.migration.tag)}\nnew_sqlite_classes = [${classes}]`);
  }
  if (a.producer) {
    blocks.push(
      `# Subscribable workflows fan out through this queue: one message per subscription.\n[[queues.producers]]\nqueue = ${str(a.producer.queue)}\nbinding = ${str(a.producer.binding)}`,
    );
  }
  if (a.consumer) {
    blocks.push(
      `[[queues.consumers]]\nqueue = ${str(a.consumer.queue)}\nmax_batch_size = ${a.consumer.max_batch_size}\nmax_batch_timeout = ${a.consumer.max_batch_timeout}`,
    );
  }
  if (a.r2) {
    blocks.push(
      `# Step and run outputs over 128 KiB are stored here.\n[[r2_buckets]]\nbinding = ${str(a.r2.binding)}\nbucket_name = ${str(a.r2.bucket_name)}`,
    );
  }
  if (addTriggersTable) blocks.push(`[triggers]\ncrons = [${str(CAIRN_CRON)}]`);
  if (a.build) {
    const dirs = a.build.watch_dir.map((d) => str(d)).join(", ");
    blocks.push(
      `# Regenerates cairn.gen.ts before every \`wrangler dev\` start and deploy.\n[build]\ncommand = ${str(a.build.command)}\nwatch_dir = [${dirs}]`,
    );
  }
  return blocks;
}

/**
 * Returns the TOML text with Cairn's missing pieces added: keys edited in place where they
 * exist (crons, compatibility_flags), new top-level keys before the first table, new tables
 * appended at the end with a comment. The caller re-parses the result to check it.
 */
export function addToToml(text: string, a: CairnAdditions): string {
  let lines = text.split("\n");
  const top: string[] = [];
  if (a.name) top.push(`name = ${str(a.name)}`);
  if (a.compatibilityDate) top.push(`compatibility_date = ${str(a.compatibilityDate)}`);
  if (a.flag) {
    const end = headerLines(lines)[0] ?? lines.length;
    const edited = appendToArray(lines, 0, end, "compatibility_flags", CAIRN_FLAG);
    if (edited) lines = edited;
    else top.push(`compatibility_flags = [${str(CAIRN_FLAG)}]`);
  }
  lines = insertTopLevel(lines, top);

  let addTriggersTable = false;
  if (a.cron) {
    const headers = headerLines(lines);
    const index = headers.findIndex((h) => tableName(lines[h] ?? "") === "triggers");
    if (index < 0) addTriggersTable = true;
    else {
      const from = headers[index] ?? 0;
      const to = headers[index + 1] ?? lines.length;
      const edited = appendToArray(lines, from + 1, to, "crons", CAIRN_CRON);
      lines = edited ?? [...lines.slice(0, from + 1), `crons = [${str(CAIRN_CRON)}]`, ...lines.slice(from + 1)];
    }
  }

  const blocks = appendedBlocks(a, addTriggersTable);
  if (blocks.length === 0) return lines.join("\n");
  let body = lines.join("\n").replace(/\s*$/, "");
  body += `\n\n# Added by \`cairn init\`: what the Cairn engine needs.\n${blocks.join("\n\n")}\n`;
  return body;
}
