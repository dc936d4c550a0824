// Reads request bodies within the size limit, with coded errors for every way they fail.
import type { Context } from "hono";
import { MAX_REQUEST_BODY_BYTES } from "../limits.ts";
import { ApiError } from "./errors.ts";

function tooLarge(): ApiError {
  return new ApiError("payload_too_large", `the request body is over the ${MAX_REQUEST_BODY_BYTES} byte limit`, {
    limit: MAX_REQUEST_BODY_BYTES,
  });
}

/** The body as UTF-8 text (webhook signatures are computed over exactly these bytes). */
export async function readText(c: Context): Promise<string> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    throw new ApiError("invalid_json", "the request body is not valid UTF-8");
  }
}

/** Parses JSON text; empty text is `undefined` so routes can apply defaults. */
export function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError("invalid_json", `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses the body as JSON (application/json or text/plain). */
export async function readJson(c: Context): Promise<unknown> {
  const text = await readText(c);
  if (text.length === 0) return undefined;
  const type = c.req.header("content-type") ?? "application/json";
  if (!/json|text\/plain/i.test(type)) {
    throw new ApiError("unsupported_media_type", `send the body as application/json (got ${type})`);
  }
  return parseJson(text);
}
