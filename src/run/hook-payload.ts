// Validates a hook's resume payload against its schema, and types the query-string values of a
// `GET /hooks/:token?…` resume (always strings on the wire) the way the sender meant them.
import type { RunEvent } from "../../sdk/engine/events.ts";
import type { HookOptions } from "../../sdk/engine/scope.ts";
import type { Result } from "./result.ts";

type Schema = HookOptions<unknown>["schema"];

/**
 * A query value that is a JSON scalar written canonically (`true`, `false`, `null`, `3`, `-1.5`)
 * becomes that scalar; anything else stays the string it was. Canonical means
 * `JSON.stringify(JSON.parse(v)) === v`, so `"007"`, `"1e3"`, `" 12"` and `"1.0"` stay strings:
 * they are not how anyone writes a number unless they mean the text (a zip code, an id).
 *
 * @example
 * scalarOf("true") // true
 * scalarOf("3")    // 3
 * scalarOf("007")  // "007"
 */
export function scalarOf(value: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  const scalar = parsed === null || typeof parsed === "boolean" || typeof parsed === "number";
  return scalar && JSON.stringify(parsed) === value ? parsed : value;
}

/** The lenient reading a schema gets as its second try: "12" and " 12" both become 12. */
function coerce(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  if (value === "null") return null;
  if (value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return value;
}

const mapValues = (payload: object, f: (value: unknown) => unknown) =>
  Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, f(v)]));

function tryParse(
  schema: NonNullable<Schema>,
  value: unknown,
): { ok: true; value: unknown } | { ok: false; issues: unknown } {
  try {
    return { ok: true, value: schema.parse(value) };
  } catch (error) {
    return { ok: false, issues: (error as { issues?: unknown }).issues ?? String(error) };
  }
}

/**
 * The payload a hook resumes with. Without a schema, query values that are canonical JSON
 * scalars arrive typed (`?approved=true&count=3&note=007` → `{ approved: true, count: 3, note: "007" }`).
 * With a schema, the payload is parsed as sent, then (for a query) with its values coerced.
 */
export function parseHookPayload(schema: Schema, payload: unknown, source: "body" | "query"): Result<unknown> {
  const query = source === "query" && payload !== null && typeof payload === "object" ? payload : undefined;
  if (!schema) {
    if (!query) return { ok: true, value: payload };
    return { ok: true, value: mapValues(query, (v) => (typeof v === "string" ? scalarOf(v) : v)) };
  }
  const direct = tryParse(schema, payload);
  if (direct.ok) return direct;
  if (query) {
    const second = tryParse(schema, mapValues(query, coerce));
    if (second.ok) return second;
  }
  return {
    ok: false,
    error: {
      code: "invalid_hook_payload",
      message: "the payload does not match the hook's schema; the hook stays open",
      details: { issues: direct.issues },
    },
  };
}

/**
 * How a resume arrived: `post` (a POST: resumes), `get` (a GET of the link: resumes only a hook
 * created with `resumeOnGet`, else previews), `preview` (HEAD or a prefetch: never resumes).
 */
export type HookVia = "post" | "get" | "preview";

/** What a resume answers: resumed, or (a link that needs its confirmation) what a POST would record. */
export type HookResumeResult = { runId: string; resumed: true } | { runId: string; resumed: false; payload: unknown };

/** Whether this arrival resumes the hook with `token`, whose creation is in `events`. */
export function resumesNow(via: HookVia, events: readonly RunEvent[], token: string): boolean {
  if (via !== "get") return via === "post";
  return events.some((e) => e.type === "hook_created" && e.token === token && e.resumeOnGet === true);
}
