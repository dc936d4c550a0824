// Vitest global setup for the workers project: a model server on 127.0.0.1 speaking the OpenAI
// Chat Completions protocol, which code inside workerd reaches over a real socket. Its base URL is
// provided as `llmBaseUrl`. Being out of the tests' reach, it is scripted by the prompt itself:
//   `[tool:<name> <json>]` in the last user message: answer with that tool call;
//   a tool result last: answer `the tool said <result>`;
//   `[reply:<text>]`: answer <text>; otherwise `answer to: <message>`;
//   `[hold:<key>]`: the first such request waits for `POST /control/release?key=<key>`;
//   `[fail-once:<key>]`: the first such request is answered 503, as an overloaded provider does.
// `GET /control/requests?key=<key>` counts the chat requests whose body named `key`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { TestProject } from "vitest/node";
import { openAiReply, type Reply } from "./mock-llm-server.ts";

type ChatMessage = { role: string; content?: string | null };

/** The answer a chat request's last message scripts. */
function scripted(messages: ChatMessage[]): Reply {
  const last = messages.at(-1);
  if (last?.role === "tool") return openAiReply(`the tool said ${last.content}`);
  const content = last?.content ?? "";
  const tool = /\[tool:(\S+) (\{.*?\})\]/.exec(content);
  if (tool) return openAiReply(null, [{ id: "call-1", name: tool[1]!, arguments: JSON.parse(tool[2]!) }]);
  const reply = /\[reply:(.*?)\]/.exec(content);
  return openAiReply(reply ? reply[1]! : `answer to: ${content}`);
}

function send(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status ?? 200;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(reply.body));
}

export default async function setup(project: TestProject) {
  const bodies: string[] = [];
  const held = new Map<string, () => void>();
  const released = new Set<string>();
  const heldOnce = new Set<string>();
  const failedOnce = new Set<string>();

  async function chat(body: string, res: ServerResponse) {
    bodies.push(body);
    const messages = (JSON.parse(body) as { messages: ChatMessage[] }).messages;
    const content = messages.at(-1)?.content ?? "";
    const fail = /\[fail-once:([\w-]+)\]/.exec(content)?.[1];
    if (fail && !failedOnce.has(fail)) {
      failedOnce.add(fail);
      return send(res, { status: 503, body: { error: { message: "overloaded", type: "server_error" } } });
    }
    const hold = /\[hold:([\w-]+)\]/.exec(content)?.[1];
    if (hold && !heldOnce.has(hold) && !released.has(hold)) {
      heldOnce.add(hold);
      await new Promise<void>((resolve) => held.set(hold, resolve));
    }
    send(res, scripted(messages));
  }

  function control(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    const key = url.searchParams.get("key") ?? "";
    if (url.pathname === "/control/release") {
      released.add(key);
      held.get(key)?.();
      held.delete(key);
      return send(res, { body: { released: key } });
    }
    send(res, { body: { count: bodies.filter((body) => body.includes(key)).length } });
  }

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      if (req.url?.startsWith("/control/")) return control(req, res);
      void chat(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  project.provide("llmBaseUrl", `http://127.0.0.1:${port}/v1`);
  return async () => {
    for (const release of held.values()) release();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    llmBaseUrl: string;
  }
}
