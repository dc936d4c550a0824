// A local model server on 127.0.0.1 that speaks the real wire protocols: OpenAI Chat
// Completions (POST /v1/chat/completions) and Anthropic Messages (POST /v1/messages).
// Tests queue the replies it gives and read the requests it received.
import { createServer, type Server } from "node:http";

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** JSON body, or a raw string for malformed responses. */
  body: unknown;
}

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

export interface MockLlmServer {
  url: string;
  /** Base URL for OPENAI_BASE_URL. */
  openAiBaseUrl: string;
  requests: ReceivedRequest[];
  reply(...replies: Reply[]): void;
  /** Answers from the request itself once the queue is empty (for runs whose call count varies). */
  respond(responder: ((request: ReceivedRequest) => Reply) | undefined): void;
  close(): Promise<void>;
}

export async function startMockLlmServer(): Promise<MockLlmServer> {
  const queue: Reply[] = [];
  const requests: ReceivedRequest[] = [];
  let responder: ((request: ReceivedRequest) => Reply) | undefined;
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk) => {
      text += chunk;
    });
    req.on("end", () => {
      const received = { path: req.url ?? "", headers: req.headers, body: text ? JSON.parse(text) : {} };
      requests.push(received);
      const next = queue.shift() ??
        responder?.(received) ?? { status: 500, body: { error: { message: "mock server: no reply queued" } } };
      res.statusCode = next.status ?? 200;
      res.setHeader("content-type", "application/json");
      for (const [name, value] of Object.entries(next.headers ?? {})) res.setHeader(name, value);
      res.end(typeof next.body === "string" ? next.body : JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url,
    openAiBaseUrl: `${url}/v1`,
    requests,
    reply: (...replies) => queue.push(...replies),
    respond: (next) => {
      responder = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A Chat Completions answer with text, or with tool calls. */
export function openAiReply(
  text: string | null,
  toolCalls: { id: string; name: string; arguments: unknown }[] = [],
  usage = { prompt_tokens: 11, completion_tokens: 7 },
): Reply {
  return {
    body: {
      id: "chatcmpl-1",
      object: "chat.completion",
      choices: [
        {
          index: 0,
          finish_reason: toolCalls.length ? "tool_calls" : "stop",
          message: {
            role: "assistant",
            content: text,
            ...(toolCalls.length
              ? {
                  tool_calls: toolCalls.map((c) => ({
                    id: c.id,
                    type: "function",
                    function: { name: c.name, arguments: JSON.stringify(c.arguments) },
                  })),
                }
              : {}),
          },
        },
      ],
      usage,
    },
  };
}

/** A Messages API answer with text and/or tool_use blocks. */
export function anthropicReply(
  text: string,
  toolUses: { id: string; name: string; input: unknown }[] = [],
  usage = { input_tokens: 13, output_tokens: 5 },
): Reply {
  return {
    body: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      content: [...(text ? [{ type: "text", text }] : []), ...toolUses.map((u) => ({ type: "tool_use", ...u }))],
      stop_reason: toolUses.length ? "tool_use" : "end_turn",
      usage,
    },
  };
}
