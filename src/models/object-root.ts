// Structured output needs an object at the schema's root: OpenAI's `response_format` json_schema
// and Anthropic's tool `input_schema` refuse a root `oneOf`/`anyOf`, array or scalar (a root
// `z.discriminatedUnion`, say). Such a schema travels wrapped as `{ value }`, and the answer is
// unwrapped before Cairn validates it against the caller's own schema.

type JsonSchema = Record<string, unknown>;

/** The property a non-object root is wrapped in. */
export const WRAPPED_PROPERTY = "value";

/** What a provider is sent, and whether its answer must be unwrapped. */
export interface RootedSchema {
  schema: JsonSchema;
  wrapped: boolean;
}

// Keywords that belong to the document rather than to the value: they stay at the root, where
// `$ref`s resolve against them.
const DOCUMENT_KEYWORDS = ["$schema", "$defs", "definitions", "$id"];

/** Points `$ref`s that addressed the old root (`#`, `#/properties/...`) into the wrapped value. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (!node || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    const movesWithRoot =
      key === "$ref" &&
      typeof value === "string" &&
      (value === "#" || (value.startsWith("#/") && !/^#\/(\$defs|definitions)\//.test(value)));
    out[key] = movesWithRoot ? `#/properties/${WRAPPED_PROPERTY}${value.slice(1)}` : rebase(value);
  }
  return out;
}

/**
 * The schema as a provider accepts it: unchanged when its root is `type: "object"`, else wrapped
 * in a closed object with one required property (OpenAI's documented rules: an object root, not
 * `anyOf`; `additionalProperties: false`; every property required).
 * @example objectRoot({ oneOf: [a, b] }) // { wrapped: true, schema: { type: "object", properties: { value: { oneOf: [a, b] } }, required: ["value"], additionalProperties: false } }
 */
export function objectRoot(schema: unknown): RootedSchema {
  const root = schema && typeof schema === "object" && !Array.isArray(schema) ? (schema as JsonSchema) : undefined;
  if (root?.type === "object") return { schema: root, wrapped: false };
  const document: JsonSchema = {};
  const value: JsonSchema = {};
  // (A boolean schema, `true` for "anything", has no keywords to move.)
  for (const [key, entry] of Object.entries(root ?? {})) {
    if (DOCUMENT_KEYWORDS.includes(key)) document[key] = entry;
    else value[key] = entry;
  }
  return {
    wrapped: true,
    schema: {
      ...document,
      type: "object",
      properties: { [WRAPPED_PROPERTY]: root ? rebase(value) : schema },
      required: [WRAPPED_PROPERTY],
      additionalProperties: false,
    },
  };
}

/**
 * The answer inside a wrapped one: `{"value": X}` becomes `X` as JSON text. Anything else is
 * returned as is, so the caller's schema check reports it (and asks the model to repair it).
 * @example unwrapAnswer('{"value":{"kind":"a"}}') // '{"kind":"a"}'
 */
export function unwrapAnswer(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ""));
  } catch {
    return text;
  }
  return unwrapValue(parsed) ?? text;
}

/** `X` as JSON text for `{ value: X }`, or undefined for any other shape. */
export function unwrapValue(answer: unknown): string | undefined {
  if (!answer || typeof answer !== "object" || Array.isArray(answer)) return undefined;
  const keys = Object.keys(answer);
  if (keys.length !== 1 || keys[0] !== WRAPPED_PROPERTY) return undefined;
  return JSON.stringify((answer as JsonSchema)[WRAPPED_PROPERTY]);
}
