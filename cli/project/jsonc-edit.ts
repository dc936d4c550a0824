// Adds Cairn's pieces to a wrangler.jsonc/wrangler.json through jsonc-parser edits, keeping comments.
import { applyEdits, type FormattingOptions, modify, parse } from "jsonc-parser";
import { type CairnAdditions, CAIRN_CRON, CAIRN_FLAG } from "./cairn-needs.ts";

type JsonPath = (string | number)[];

/** Follows the file's own indentation, so added blocks look like the user's. */
function formatting(text: string): FormattingOptions {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
  return indent.startsWith("\t")
    ? { insertSpaces: false, tabSize: 1, eol: "\n" }
    : { insertSpaces: true, tabSize: indent.length, eol: text.includes("\r\n") ? "\r\n" : "\n" };
}

/**
 * Returns the JSONC text with Cairn's missing pieces added: items appended to arrays that
 * exist, keys created where absent. Comments and everything else the user wrote stay as is.
 */
export function addToJsonc(source: string, a: CairnAdditions): string {
  let text = source;
  const options = { formattingOptions: formatting(source) };
  const current = (path: JsonPath): unknown => {
    let node: unknown = parse(text, [], { allowTrailingComma: true });
    for (const key of path) node = (node as Record<string | number, unknown> | undefined)?.[key];
    return node;
  };
  const set = (path: JsonPath, value: unknown) => {
    text = applyEdits(text, modify(text, path, value, options));
  };
  /** Appends to the array at `path`, or creates it holding `items`. */
  const append = (path: JsonPath, items: unknown[]) => {
    if (items.length === 0) return;
    if (!Array.isArray(current(path))) return set(path, items);
    for (const item of items) set([...path, -1], item);
  };

  if (a.name) set(["name"], a.name);
  if (a.compatibilityDate) set(["compatibility_date"], a.compatibilityDate);
  if (a.flag) append(["compatibility_flags"], [CAIRN_FLAG]);
  append(["durable_objects", "bindings"], a.durableObjects);
  if (a.migration) append(["migrations"], [a.migration]);
  if (a.producer) append(["queues", "producers"], [a.producer]);
  if (a.consumer) append(["queues", "consumers"], [a.consumer]);
  if (a.r2) append(["r2_buckets"], [a.r2]);
  if (a.cron) append(["triggers", "crons"], [CAIRN_CRON]);
  if (a.build) set(["build"], a.build);
  return text;
}
