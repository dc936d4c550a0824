// The port between `promptLlm`/agents and the model providers. The Worker plugs in its
// provider router (src/models); tests plug in a client pointed at a local server.
import { UsageError } from "../errors.ts";

export interface ToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type ModelMessage =
  | { role: "system" | "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; name: string; content: string };

export interface ToolSpec {
  name: string;
  description?: string;
  /** JSON Schema of the tool's arguments. */
  parameters: unknown;
}

export interface ModelRequest {
  /** `vendor/model-id`, e.g. `openai/gpt-4o-mini`, `anthropic/claude-sonnet-4-5`, `workers-ai/@cf/meta/llama-3.1-8b-instruct`. */
  model: string;
  messages: ModelMessage[];
  tools?: ToolSpec[];
  /** Ask for JSON matching this schema. */
  responseSchema?: { name: string; schema: unknown };
  temperature?: number;
  maxTokens?: number;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelResponse {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  finishReason?: string;
}

export interface ModelClient {
  complete(request: ModelRequest, options?: { signal?: AbortSignal }): Promise<ModelResponse>;
}

let current: ModelClient | undefined;

/** Installs the model client every `promptLlm` and agent turn uses. */
export function setModelClient(client: ModelClient | undefined): void {
  current = client;
}

export function getModelClient(): ModelClient {
  if (!current) {
    throw new UsageError(
      "no model client is configured: the Worker sets one from its secrets; in tests call setModelClient()",
    );
  }
  return current;
}
