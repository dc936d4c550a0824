// Validates a hook's resume payload against its schema; query-string values (always strings)
// are coerced the way a person would read them ("true" → true, "12" → 12).
import type { HookOptions } from "../../sdk/engine/scope.ts";
import type { Result } from "./result.ts";

type Schema = HookOptions<unknown>["schema"];

function coerce(value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  if (value === "null") return null;
  if (value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return value;
}

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

export function parseHookPayload(schema: Schema, payload: unknown, source: "body" | "query"): Result<unknown> {
  if (!schema) return { ok: true, value: payload };
  const direct = tryParse(schema, payload);
  if (direct.ok) return direct;
  if (source === "query" && payload && typeof payload === "object") {
    const coerced = Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, coerce(v)]));
    const second = tryParse(schema, coerced);
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
