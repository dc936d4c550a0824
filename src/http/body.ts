// Reads request bodies within the size limit (before any parsing), with coded errors for every way
// they fail: the one way every route and dashboard form reads a body.
import { readLimited } from "../../sdk/http-util.ts";
import type { Context } from "hono";
import { MAX_JSON_DEPTH, MAX_REQUEST_BODY_BYTES } from "../limits.ts";
import { ApiError } from "./errors.ts";

function tooLarge(): ApiError {
  return new ApiError("payload_too_large", `the request body is over the ${MAX_REQUEST_BODY_BYTES} byte limit`, {
    limit: MAX_REQUEST_BODY_BYTES,
  });
}

/**
 * The body's bytes, refused with 413 `payload_too_large` as soon as they pass the limit: a declared
 * Content-Length over it is refused unread, and a chunked body is read only up to the limit.
 */
export async function readBytes(c: Context): Promise<Uint8Array> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  return readLimited(c.req.raw.body, MAX_REQUEST_BODY_BYTES, () => tooLarge());
}

/** The body as UTF-8 text (webhook signatures are computed over exactly these bytes). */
export async function readText(c: Context): Promise<string> {
  const bytes = await readBytes(c);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError("invalid_json", "the request body is not valid UTF-8");
  }
}

/**
 * How deeply arrays and objects nest in JSON text, counted over the raw text (brackets inside
 * strings skipped) so that measuring a hostile body cannot itself overflow the stack. Stops
 * counting once `limit` is passed.
 * @example jsonDepth('{"a":[1,"]"]}') // 2
 */
export function jsonDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

/**
 * Parses JSON text; empty text is `undefined` so routes can apply defaults. Nesting deeper than
 * MAX_JSON_DEPTH is 400 `json_too_deep`, refused before JSON.parse.
 */
export function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new ApiError(
      "json_too_deep",
      `the request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
      {
        limit: MAX_JSON_DEPTH,
      },
    );
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError("invalid_json", `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Whether a Content-Type names JSON exactly: `application/json`, with parameters such as
 * `; charset=utf-8` allowed. (`text/plain` and look-alikes are types a cross-site form or a
 * preflight-free fetch can send.)
 */
export function isJsonType(type: string): boolean {
  return /^application\/json\s*(;|$)/i.test(type.trim());
}

/** Parses the body as JSON; a body sent as anything but `application/json` is 415. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await readText(c);
  if (text.length === 0) return undefined;
  const type = c.req.header("content-type") ?? "application/json";
  if (!isJsonType(type)) {
    throw new ApiError("unsupported_media_type", `send the body as application/json (got ${type})`);
  }
  return parseJson(text);
}

/**
 * A form post's fields (urlencoded or multipart), read within the size limit first; files are
 * dropped (no dashboard form has any). A body that is not a form has no fields.
 */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const bytes = await readBytes(c);
  const type = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return {};
  let data: FormData;
  try {
    data = await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch {
    return {};
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of data.entries()) if (typeof value === "string") fields[name] = value;
  return fields;
}
