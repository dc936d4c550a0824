// `promptLlm`: one model call as a durable step. A replay returns the recorded answer and never
// calls (or pays for) the model again.
import { z } from "zod";
import { ValidationError } from "./errors.ts";
import {
  getModelClient,
  type ModelMessage,
  type ModelRequest,
  type ModelResponse,
  type Usage,
} from "./engine/model-port.ts";
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
  /**
   * Inside a workflow, makes the call from a stateless Worker invocation (the `cairn-fanout` queue's
   * consumer) instead of the run's Durable Object, which sleeps meanwhile (decision 0023): a 30 s
   * model call is then not billed as 30 s of the object. The request (messages, and the output
   * schema as JSON Schema) travels in the queue message; its answer is recorded once, retried by
   * `retries`, and the call is made again if no answer came within 15 minutes. With an output
   * schema, a repair call is a step of its own (`llm#n+1`). Needs the FANOUT queue bound and a
   * request under 96 KiB of JSON; otherwise the call is made in the run's object.
   * @example
   * const summary = await promptLlm(`Summarize: ${text}`, { model: "openai/gpt-4o-mini", offload: true });
   */
  offload?: boolean;
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

/** The request of a prompt's first call; the output schema travels as JSON Schema. */
function requestOf(prompt: string, options: PromptOptions<z.ZodType | undefined>): ModelRequest {
  const messages: ModelMessage[] = [];
  if (options.system) messages.push({ role: "system", content: options.system });
  messages.push({ role: "user", content: prompt });
  const schema = options.outputSchema;
  return {
    model: options.model,
    messages,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    ...(schema
      ? { responseSchema: { name: "answer", schema: z.toJSONSchema(schema, { unrepresentable: "any" }) } }
      : {}),
  };
}

/** The request that asks again after an answer missed the schema. */
function repairOf(request: ModelRequest, answer: string, issues: string): ModelRequest {
  const content = `That answer does not match the required JSON schema:\n${issues}\nReply again with only JSON that matches it.`;
  return {
    ...request,
    messages: [...request.messages, { role: "assistant", content: answer }, { role: "user", content }],
  };
}

const invalidAfterRepair = (issues: string) =>
  new ValidationError(
    "invalid_output",
    `the model's answer does not match the output schema after one repair: ${issues}`,
    issues,
  );

/**
 * One call, plus one repair call when the answer misses the schema. `complete` makes each call:
 * directly, or (offloaded) as a step of its own.
 */
async function ask(
  prompt: string,
  options: PromptOptions<z.ZodType | undefined>,
  complete: (request: ModelRequest, repair: boolean) => Promise<ModelResponse>,
): Promise<LlmAnswer> {
  const request = requestOf(prompt, options);
  const first = await complete(request, false);
  const schema = options.outputSchema;
  if (!schema) return { text: first.text, usage: first.usage };
  const checked = check(schema, first.text);
  if (checked.ok) return { text: first.text, output: checked.value, usage: first.usage };
  const second = await complete(repairOf(request, first.text, checked.issues), true);
  const repaired = check(schema, second.text);
  if (!repaired.ok) throw invalidAfterRepair(repaired.issues);
  return { text: second.text, output: repaired.value, usage: add(first.usage, second.usage) };
}

/** Each call straight to the model client. */
const direct =
  (signal?: AbortSignal) =>
  (request: ModelRequest): Promise<ModelResponse> =>
    getModelClient().complete(request, { signal });

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
  if (ambient?.type !== "run") return answerOf<S>(await ask(prompt, options, direct()), options.outputSchema);
  const { scope } = ambient;
  const schema = options.outputSchema;
  const input = {
    prompt,
    model: options.model,
    system: options.system,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
  };
  if (options.offload) {
    // Each call is a step of its own (`llm#n`, then `llm#n+1` for a repair), so the message
    // carries one request and the pass checks the recorded answer against the zod schema.
    const offloaded = (request: ModelRequest, repair: boolean) =>
      scope.step<ModelResponse>({
        kind: "llm",
        name: "llm",
        input: repair ? { ...input, repair } : input,
        retries: options.retries,
        offload: true,
        offloadInput: request,
        execute: (signal) => getModelClient().complete(request, { signal }),
        usageOf: (response) => response.usage,
      });
    return answerOf<S>(await ask(prompt, options, offloaded), schema);
  }
  const answer = await scope.step<LlmAnswer>({
    kind: "llm",
    name: "llm",
    input,
    retries: options.retries,
    execute: (signal) => ask(prompt, options, direct(signal)),
    parseOutput: (recorded) => {
      const stored = recorded as LlmAnswer;
      return schema ? { ...stored, output: schema.parse(stored.output) } : stored;
    },
    usageOf: (output) => output.usage,
  });
  return answerOf<S>(answer, schema);
}
