// AgentSessionObject: one Durable Object per agent session, holding its messages.
import { DurableObject } from "cloudflare:workers";
import type { ModelMessage } from "../../sdk/engine/model-port.ts";
import type { Env } from "../env.ts";
import { query, run } from "../log/sql.ts";

export class AgentSessionObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    run(ctx.storage.sql, "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, data TEXT NOT NULL)");
  }

  async load(): Promise<ModelMessage[]> {
    return query<{ data: string }>(this.ctx.storage.sql, "SELECT data FROM messages ORDER BY seq").map((row) =>
      JSON.parse(row.data),
    );
  }

  /** Replaces the history (the agent saves the whole conversation after each prompt). */
  async save(messages: ModelMessage[]): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      run(this.ctx.storage.sql, "DELETE FROM messages");
      for (const [seq, message] of messages.entries()) {
        run(this.ctx.storage.sql, "INSERT INTO messages (seq, data) VALUES (?, ?)", seq, JSON.stringify(message));
      }
    });
  }
}
