// Anthropic's Messages API. Structured output uses a forced tool whose input is the answer.
import type { ModelMessage, ModelRequest, ModelResponse } from "../../sdk/engine/model-port.ts";
import { objectRoot, unwrapValue } from "./object-root.ts";
import { ProviderError, providerFailure, readJsonBody } from "./provider-error.ts";

type Block =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "tool_result"; tool_use_id: string; content: string };

interface MessagesResponse {
  content?: Block[];
  stop_reason?: string;
  usage?: { input_tokens?: number; output_tokens?: number };
}

const ANSWER_TOOL = "respond";

/** Anthropic takes the system prompt apart, and tool results as user turns of blocks. */
function toAnthropic(messages: ModelMessage[]) {
  const system = messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const turns: { role: "user" | "assistant"; content: string | Block[] }[] = [];
  for (const message of messages) {
    if (message.role === "system") continue;
    if (message.role === "tool") {
      const block: Block = { type: "tool_result", tool_use_id: message.toolCallId, content: message.content };
      const last = turns.at(-1);
      if (last?.role === "user" && Array.isArray(last.content)) last.content.push(block);
      else turns.push({ role: "user", content: [block] });
      continue;
    }
    if (message.role === "assistant" && message.toolCalls?.length) {
      const blocks: Block[] = message.content ? [{ type: "text", text: message.content }] : [];
      for (const call of message.toolCalls)
        blocks.push({ type: "tool_use", id: call.id, name: call.name, input: call.arguments });
      turns.push({ role: "assistant", content: blocks });
      continue;
    }
    turns.push({ role: message.role, content: message.content });
  }
  return { system, turns };
}

export async function anthropicMessages(
  config: { baseUrl: string; apiKey: string },
  modelId: string,
  request: ModelRequest,
  signal?: AbortSignal,
): Promise<ModelResponse> {
  const { system, turns } = toAnthropic(request.messages);
  const body: Record<string, unknown> = { model: modelId, max_tokens: request.maxTokens ?? 1024, messages: turns };
  if (system) body.system = system;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  const tools = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.parameters,
  }));
  // A tool's input_schema must be `type: "object"`: other roots go wrapped as `{ value }`.
  const rooted = request.responseSchema ? objectRoot(request.responseSchema.schema) : undefined;
  if (rooted) {
    tools.push({
      name: ANSWER_TOOL,
      description: "Give the final answer in this exact shape.",
      input_schema: rooted.schema,
    });
    body.tool_choice = { type: "tool", name: ANSWER_TOOL };
  }
  if (tools.length) body.tools = tools;
  const response = await fetch(`${config.baseUrl.replace(/\/$/, "")}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": config.apiKey, "anthropic-version": "2023-06-01" },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok) throw await providerFailure("anthropic", response);
  const message = await readJsonBody<MessagesResponse>("anthropic", response);
  if (!Array.isArray(message.content))
    throw new ProviderError("provider_bad_response", "anthropic returned no content");
  let text = message.content
    .filter((b): b is Extract<Block, { type: "text" }> => b.type === "text")
    .map((b) => b.text)
    .join("");
  const uses = message.content.filter((b): b is Extract<Block, { type: "tool_use" }> => b.type === "tool_use");
  const answer = uses.find((use) => use.name === ANSWER_TOOL);
  if (rooted && answer) text = (rooted.wrapped ? unwrapValue(answer.input) : undefined) ?? JSON.stringify(answer.input);
  return {
    text,
    toolCalls: uses
      .filter((use) => use.name !== ANSWER_TOOL)
      .map((use) => ({ id: use.id, name: use.name, arguments: use.input ?? {} })),
    usage: { inputTokens: message.usage?.input_tokens ?? 0, outputTokens: message.usage?.output_tokens ?? 0 },
    finishReason: message.stop_reason,
  };
}
