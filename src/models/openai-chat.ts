// An OpenAI-compatible Chat Completions client (OpenAI itself, or any gateway that speaks it).
import type { ModelMessage, ModelRequest, ModelResponse, ToolCall } from "../../sdk/engine/model-port.ts";
import { objectRoot, unwrapAnswer } from "./object-root.ts";
import { ProviderError, providerFailure, readJsonBody } from "./provider-error.ts";

interface ChatCompletion {
  choices?: {
    message?: { content?: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[] };
    finish_reason?: string;
  }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

function toChatMessage(message: ModelMessage) {
  if (message.role === "tool") return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
  if (message.role === "assistant" && message.toolCalls?.length) {
    return {
      role: "assistant",
      content: message.content || null,
      tool_calls: message.toolCalls.map((call) => ({
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      })),
    };
  }
  return { role: message.role, content: message.content };
}

function parseArguments(raw: string): Record<string, unknown> {
  try {
    const value = JSON.parse(raw || "{}");
    return value && typeof value === "object" ? value : {};
  } catch {
    throw new ProviderError("provider_bad_response", `tool call arguments are not JSON: ${raw.slice(0, 200)}`);
  }
}

export async function openAiChat(
  config: { baseUrl: string; apiKey: string; provider: string },
  modelId: string,
  request: ModelRequest,
  signal?: AbortSignal,
): Promise<ModelResponse> {
  const body: Record<string, unknown> = { model: modelId, messages: request.messages.map(toChatMessage) };
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: "function",
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  // A non-object root (a discriminated union, say) goes wrapped as `{ value }` (object-root.ts).
  const rooted = request.responseSchema ? objectRoot(request.responseSchema.schema) : undefined;
  if (request.responseSchema && rooted) {
    body.response_format = {
      type: "json_schema",
      json_schema: { name: request.responseSchema.name, schema: rooted.schema, strict: false },
    };
  }
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  const response = await fetch(`${config.baseUrl.replace(/\/$/, "")}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${config.apiKey}` },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await providerFailure(config.provider, response);
  const completion = await readJsonBody<ChatCompletion>(config.provider, response);
  const choice = completion.choices?.[0];
  if (!choice?.message) throw new ProviderError("provider_bad_response", `${config.provider} returned no choices`);
  const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((call) => ({
    id: call.id,
    name: call.function.name,
    arguments: parseArguments(call.function.arguments),
  }));
  return {
    text: rooted?.wrapped ? unwrapAnswer(choice.message.content ?? "") : (choice.message.content ?? ""),
    toolCalls,
    usage: {
      inputTokens: completion.usage?.prompt_tokens ?? 0,
      outputTokens: completion.usage?.completion_tokens ?? 0,
    },
    finishReason: choice.finish_reason,
  };
}
