// `client.agents`: the agents a runtime serves, prompting them, and reading a session.
import type { ModelMessage, Usage } from "../engine/model-port.ts";
import { type Request, segment } from "./transport.ts";

export interface AgentInfo {
  slug: string;
  name: string;
  description: string | null;
}

/** An agent's answer to one prompt: its text, the session it continued, and what it cost. */
export interface AgentReply {
  text: string;
  output?: unknown;
  sessionId: string;
  messages: ModelMessage[];
  usage: Usage;
}

export function agentsApi(request: Request) {
  const path = (slug: string) => `/agents/${segment(slug)}`;
  return {
    /**
     * The agents the runtime serves.
     * @example const slugs = (await cairn.agents.list()).map((a) => a.slug);
     */
    list: async () => (await request<{ agents: AgentInfo[] }>("/agents")).agents,
    /**
     * Prompts an agent; give a `sessionId` to continue a conversation (one is made up otherwise).
     * @example const { text, sessionId } = await cairn.agents.prompt("support", { message: "Where is my order?" });
     */
    prompt: (slug: string, prompt: { message: string; sessionId?: string }) =>
      request<AgentReply>(`${path(slug)}/prompt`, { method: "POST", json: prompt }),
    /**
     * A session's messages, oldest first (404 `session_not_found` for a session never prompted).
     * @example const { messages } = await cairn.agents.session("support", sessionId);
     */
    session: (slug: string, sessionId: string) =>
      request<{ sessionId: string; messages: ModelMessage[] }>(`${path(slug)}/sessions/${segment(sessionId)}`),
  };
}

/** `client.agents`. */
export type AgentsApi = ReturnType<typeof agentsApi>;
