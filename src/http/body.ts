// Reads a JSON request body within the size limit, with coded errors for every way it fails.
import type { Context } from "hono";
import { MAX_REQUEST_BODY_BYTES } from "../limits.ts";
import { ApiError } from "./errors.ts";

/** Parses the body as JSON; an empty body is `undefined` so routes can apply defaults. */
export async function readJson(c: Context): Promise<unknown> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  const buffer = await c.req.arrayBuffer();
  if (buffer.byteLength > MAX_REQUEST_BODY_BYTES) throw tooLarge();
  if (buffer.byteLength === 0) return undefined;
  const type = c.req.header("content-type") ?? "application/json";
  if (!/json|text\/plain/i.test(type)) {
    throw new ApiError("unsupported_media_type", `send the body as application/json (got ${type})`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    throw new ApiError("invalid_json", "the request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError("invalid_json", `the request body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(): ApiError {
  return new ApiError("payload_too_large", `the request body is over the ${MAX_REQUEST_BODY_BYTES} byte limit`, {
    limit: MAX_REQUEST_BODY_BYTES,
  });
}
