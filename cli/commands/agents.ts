// cairn agents list | prompt | sessions
import type { Command } from "commander";
import type { ModelMessage } from "../../sdk/engine/model-port.ts";
import { commandContext, type GlobalOptions } from "../context.ts";
import { bold, dim, examples, table } from "../format.ts";

function messageLines(message: ModelMessage): string {
  if (message.role === "tool") return `${dim(`tool ${message.name}:`)} ${message.content}`;
  const calls =
    message.role === "assistant" && message.toolCalls?.length
      ? dim(` (calls ${message.toolCalls.map((c) => c.name).join(", ")})`)
      : "";
  return `${bold(`${message.role}:`)} ${message.content}${calls}`;
}

export function registerAgents(program: Command, globals: () => GlobalOptions): void {
  const agents = program
    .command("agents")
    .description("list agents, prompt them and read their sessions")
    .addHelpText("after", examples("cairn agents list", `cairn agents prompt support "Where is my order?"`));

  agents
    .command("list")
    .description("the agents the runtime serves")
    .addHelpText("after", examples("cairn agents list", "cairn agents list --json"))
    .action(async () => {
      const ctx = commandContext(globals());
      const list = await ctx.client.agents.list();
      if (ctx.json) return ctx.out(JSON.stringify(list, null, 2));
      ctx.out(
        table(
          ["SLUG", "NAME", "DESCRIPTION"],
          list.map((a) => [a.slug, a.name, a.description ?? ""]),
        ),
      );
    });

  agents
    .command("prompt <slug> <message>")
    .description("prompt an agent and print its answer; --session continues a conversation")
    .option("-s, --session <id>", "the session to continue (a new one is made up otherwise)")
    .addHelpText(
      "after",
      examples(
        `cairn agents prompt support "Where is my order?"`,
        `cairn agents prompt support "And now?" --session s_42`,
      ),
    )
    .action(async (slug: string, message: string, options: { session?: string }) => {
      const ctx = commandContext(globals());
      const reply = await ctx.client.agents.prompt(slug, { message, sessionId: options.session });
      if (ctx.json) return ctx.out(JSON.stringify(reply, null, 2));
      ctx.out(reply.text);
      ctx.out(
        dim(`session ${reply.sessionId} · ${reply.usage.inputTokens} input, ${reply.usage.outputTokens} output tokens`),
      );
    });

  agents
    .command("sessions <slug> <sessionId>")
    .description("a session's messages, oldest first")
    .addHelpText("after", examples("cairn agents sessions support s_42", "cairn agents sessions support s_42 --json"))
    .action(async (slug: string, sessionId: string) => {
      const ctx = commandContext(globals());
      const session = await ctx.client.agents.session(slug, sessionId);
      if (ctx.json) return ctx.out(JSON.stringify(session, null, 2));
      for (const message of session.messages) ctx.out(messageLines(message));
    });
}
