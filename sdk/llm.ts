// `promptLlm`: one model call as a durable step. A replay returns the recorded answer and never
// calls (or pays for) the model again.
import { z } from "zod";
import { ValidationError } from "./errors.ts";
import { getModelClient, type ModelMessage, type ModelResponse, type Usage } from "./engine/model-port.ts";
import type { RetryOptions } from "./engine/retry-policy.ts";
import { currentScope } from "./engine/scope.ts";

export interface PromptOptions<S extends z.ZodType | undefined> {
  /** `vendor/model-id`: `openai/…`, `anthropic/…`, `workers-ai/@cf/…`, or any vendor behind OPENAI_BASE_URL. */
  model: string;
  /** Validates the answer and types it; sent to the model as JSON Schema. */
  outputSchema?: S;
  system?: string;
  temperature?: number;
  maxTokens?: number;
  /** Attempts for provider failures (429, 5xx); default 3 with backoff, honouring Retry-After. */
  retries?: RetryOptions;
}

/** What the step records: the text, the parsed object when a schema was given, and the usage. */
export interface LlmAnswer {
  text: string;
  output?: unknown;
  usage: Usage;
}

type Result<S> = S extends z.ZodType ? z.output<S> : string;

/** JSON text → value checked by the schema, or the issues. */
function check(schema: z.ZodType, text: string): { ok: true; value: unknown } | { ok: false; issues: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.trim().replace(/^```(?:json)?\s*|\s*```$/g, ""));
  } catch (error) {
    return { ok: false, issues: `not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: z.prettifyError(parsed.error) };
}

const add = (a: Usage, b: Usage): Usage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
});

/** One call, plus one repair attempt when the answer misses the schema. */
async function ask(
  prompt: string,
  options: PromptOptions<z.ZodType | undefined>,
  signal?: AbortSignal,
): Promise<LlmAnswer> {
  const client = getModelClient();
  const messages: ModelMessage[] = [];
  if (options.system) messages.push({ role: "system", content: options.system });
  messages.push({ role: "user", content: prompt });
  const schema = options.outputSchema;
  const request = {
    model: options.model,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    ...(schema
      ? { responseSchema: { name: "answer", schema: z.toJSONSchema(schema, { unrepresentable: "any" }) } }
      : {}),
  };
  const first: ModelResponse = await client.complete({ ...request, messages }, { signal });
  if (!schema) return { text: first.text, usage: first.usage };
  const checked = check(schema, first.text);
  if (checked.ok) return { text: first.text, output: checked.value, usage: first.usage };
  messages.push({ role: "assistant", content: first.text });
  messages.push({
    role: "user",
    content: `That answer does not match the required JSON schema:\n${checked.issues}\nReply again with only JSON that matches it.`,
  });
  const second = await client.complete({ ...request, messages }, { signal });
  const repaired = check(schema, second.text);
  if (!repaired.ok) {
    throw new ValidationError(
      "invalid_output",
      `the model's answer does not match the output schema after one repair: ${repaired.issues}`,
      repaired.issues,
    );
  }
  return { text: second.text, output: repaired.value, usage: add(first.usage, second.usage) };
}

const answerOf = <S>(answer: LlmAnswer, schema: unknown): Result<S> =>
  (schema ? answer.output : answer.text) as Result<S>;

/**
 * Calls a model once. Inside a workflow it is a durable step (`llm#n`).
 * @example
 * const joke = await promptLlm("Tell a short joke about queues", { model: "openai/gpt-4o-mini" });
 * const { funny } = await promptLlm(`Is this funny? ${joke}`, {
 *   model: "anthropic/claude-sonnet-4-5",
 *   outputSchema: z.object({ funny: z.boolean() }),
 * });
 */
export async function promptLlm<S extends z.ZodType | undefined = undefined>(
  prompt: string,
  options: PromptOptions<S>,
): Promise<Result<S>> {
  const ambient = currentScope();
  if (ambient?.type !== "run") return answerOf<S>(await ask(prompt, options), options.outputSchema);
  const schema = options.outputSchema;
  const answer = await ambient.scope.step<LlmAnswer>({
    kind: "llm",
    name: "llm",
    input: {
      prompt,
      model: options.model,
      system: options.system,
      temperature: options.temperature,
      maxTokens: options.maxTokens,
    },
    retries: options.retries,
    execute: (signal) => ask(prompt, options, signal),
    parseOutput: (recorded) => {
      const stored = recorded as LlmAnswer;
      return schema ? { ...stored, output: schema.parse(stored.output) } : stored;
    },
    usageOf: (output) => output.usage,
  });
  return answerOf<S>(answer, schema);
}
