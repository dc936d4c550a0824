// Cloudflare Workers AI through the `AI` binding (`workers-ai/@cf/...` models).
import type { ModelRequest, ModelResponse } from "../../sdk/engine/model-port.ts";
import { ProviderError } from "./provider-error.ts";

/** The part of the AI binding this client uses. */
export interface AiBinding {
  run(model: string, input: Record<string, unknown>): Promise<unknown>;
}

interface AiOutput {
  response?: string | Record<string, unknown>;
  tool_calls?: { id?: string; name: string; arguments: Record<string, unknown> | string }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

export async function workersAi(ai: AiBinding, modelId: string, request: ModelRequest): Promise<ModelResponse> {
  const input: Record<string, unknown> = {
    messages: request.messages.map((m) =>
      m.role === "tool" ? { role: "tool", name: m.name, content: m.content } : { role: m.role, content: m.content },
    ),
  };
  if (request.tools?.length)
    input.tools = request.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }));
  if (request.responseSchema)
    input.response_format = { type: "json_schema", json_schema: request.responseSchema.schema };
  if (request.maxTokens !== undefined) input.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) input.temperature = request.temperature;
  let output: AiOutput;
  try {
    output = (await ai.run(modelId, input)) as AiOutput;
  } catch (error) {
    throw new ProviderError("provider_unavailable", `workers-ai: ${(error as Error).message}`);
  }
  if (!output || typeof output !== "object")
    throw new ProviderError("provider_bad_response", "workers-ai returned no output");
  const text =
    typeof output.response === "string" ? output.response : output.response ? JSON.stringify(output.response) : "";
  return {
    text,
    toolCalls: (output.tool_calls ?? []).map((call, i) => ({
      id: call.id ?? `call_${i}`,
      name: call.name,
      arguments: typeof call.arguments === "string" ? JSON.parse(call.arguments) : call.arguments,
    })),
    usage: { inputTokens: output.usage?.prompt_tokens ?? 0, outputTokens: output.usage?.completion_tokens ?? 0 },
  };
}
