// AgentSessionObject: one Durable Object per agent session. It holds the session's messages as
// appended rows, runs the prompts sent to the session one at a time, and remembers the turn
// keys it has appended (a trigger's delivery, a run's agent step) so a repeat changes nothing.
import { DurableObject } from "cloudflare:workers";
import type { PromptResult } from "../../sdk/agent.ts";
import type { ModelMessage } from "../../sdk/engine/model-port.ts";
import { type SessionStore, type SessionTurn, withSessionStore } from "../../sdk/session-store.ts";
import type { Env } from "../env.ts";
import { query, run } from "../log/sql.ts";
import { registry } from "../run/registry.ts";
import { fail, type Result } from "../run/result.ts";

/** Turn keys a session remembers; older ones are forgotten (a delivery is repeated within minutes). */
const REMEMBERED_TURNS = 256;

export interface SessionPrompt {
  agent: string;
  sessionId: string;
  message: string;
  /** Names this turn (a trigger's delivery): a key the session already answered is not prompted again. */
  turnKey?: string;
}

/** What a prompt answers over RPC: the agent's result (without a typed `output`). */
export type SessionPromptResult = Omit<PromptResult, "output"> & { output?: unknown };

export class AgentSessionObject extends DurableObject<Env> {
  /** The turn in progress: the next prompt starts once it has appended its messages. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    run(ctx.storage.sql, "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, data TEXT NOT NULL)");
    run(ctx.storage.sql, "CREATE TABLE IF NOT EXISTS turns (key TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)");
  }

  async load(): Promise<ModelMessage[]> {
    return this.messages();
  }

  /** Appends one turn's messages (the store agents use inside a run); a known key changes nothing. */
  async append(turn: SessionTurn): Promise<void> {
    this.appendTurn(turn.key, turn.messages);
  }

  /**
   * Prompts `agent` in this session. Prompts run one after another, each reading the history
   * the one before it appended, so concurrent prompts keep every exchange.
   */
  prompt(request: SessionPrompt): Promise<Result<SessionPromptResult>> {
    const turn = this.queue.then(() => this.runTurn(request));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async runTurn(request: SessionPrompt): Promise<Result<SessionPromptResult>> {
    const agent = registry.agents.get(request.agent);
    if (!agent) return fail("agent_not_found", `no agent with slug "${request.agent}"`);
    const answered = request.turnKey ? this.answered(request.turnKey, request.sessionId) : undefined;
    if (answered) return { ok: true, value: answered };
    // The turn reads and appends this object's own storage, named by the request's key if any.
    const store: SessionStore = {
      load: async () => this.messages(),
      append: async (_sessionId, turn) => this.appendTurn(request.turnKey ?? turn.key, turn.messages),
    };
    try {
      const value = await withSessionStore(request.sessionId, store, () =>
        agent.prompt({ message: request.message, sessionId: request.sessionId }),
      );
      return { ok: true, value };
    } catch (error) {
      const code = (error as { code?: string }).code;
      const failed = code === "missing_secret" || code === "non_retryable";
      return fail(failed ? "agent_failed" : "agent_unavailable", (error as Error).message);
    }
  }

  private messages(upTo = Number.MAX_SAFE_INTEGER): ModelMessage[] {
    return query<{ data: string }>(
      this.ctx.storage.sql,
      "SELECT data FROM messages WHERE seq <= ? ORDER BY seq",
      upTo,
    ).map((row) => JSON.parse(row.data));
  }

  /** The answer a turn already appended gave: its last message, with the history up to it. */
  private answered(key: string, sessionId: string): SessionPromptResult | undefined {
    const turn = query<{ last_seq: number }>(this.ctx.storage.sql, "SELECT last_seq FROM turns WHERE key = ?", key)[0];
    if (!turn) return undefined;
    const messages = this.messages(turn.last_seq);
    const last = messages.at(-1);
    return {
      text: last?.role === "assistant" ? last.content : "",
      sessionId,
      messages,
      usage: { inputTokens: 0, outputTokens: 0 },
    };
  }

  /** Appends after the stored messages in one transaction: a turn cut off never erases another. */
  private appendTurn(key: string, messages: ModelMessage[]): void {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      if (query(sql, "SELECT 1 AS known FROM turns WHERE key = ?", key).length) return;
      const next = query<{ next: number }>(sql, "SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM messages")[0]!.next;
      // Two turns that both began on an empty session each open with the system prompt: keep one.
      const fresh = next > 0 && messages[0]?.role === "system" ? messages.slice(1) : messages;
      for (const [i, message] of fresh.entries()) {
        run(sql, "INSERT INTO messages (seq, data) VALUES (?, ?)", next + i, JSON.stringify(message));
      }
      run(sql, "INSERT INTO turns (key, last_seq) VALUES (?, ?)", key, next + fresh.length - 1);
      run(
        sql,
        "DELETE FROM turns WHERE rowid NOT IN (SELECT rowid FROM turns ORDER BY rowid DESC LIMIT ?)",
        REMEMBERED_TURNS,
      );
    });
  }
}

/** The Durable Object that holds (and serializes the turns of) one agent session. */
export function sessionObject(env: Pick<Env, "SESSIONS">, sessionId: string) {
  return env.SESSIONS.get(env.SESSIONS.idFromName(sessionId));
}
