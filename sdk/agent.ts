// `cairn-workflows/agent`: agents that call tools in a loop. Inside a workflow an agent is a durable step
// whose model turns (`llm#n`) and tool calls (`<tool>#n`) are steps of their own, so a crash
// mid-agent resumes without repeating a finished turn or tool call.
import { z } from "zod";
import type { ActionDefinition } from "./action.ts";
import { UsageError } from "./errors.ts";
import {
  getModelClient,
  type ModelMessage,
  type ModelRequest,
  type ToolSpec,
  type Usage,
} from "./engine/model-port.ts";
import { ambientScope, currentScope, type StepScope } from "./engine/scope.ts";
import { sessionStoreFor } from "./session-store.ts";
import { runWorkflowTool } from "./tool-runs.ts";
import type { WorkflowDefinition } from "./workflow-types.ts";

export type { ModelMessage } from "./engine/model-port.ts";

type Tool = ActionDefinition | WorkflowDefinition | AgentDefinition;

export interface AgentOptions {
  slug: string;
  name?: string;
  description?: string;
  systemPrompt: string;
  /** `vendor/model-id`, as for promptLlm. */
  model: string;
  /** Actions, workflows and other agents the model may call; a tool's name is its slug. */
  tools?: Tool[];
  /** Model turns before the agent gives up (default 10). */
  maxTurns?: number;
  /**
   * Inside a workflow, makes each model turn (`llm#n` steps) from a stateless Worker invocation
   * (the `cairn-fanout` queue's consumer) instead of the run's Durable Object, which sleeps while
   * the model thinks (decision 0023). The turn's request (conversation so far, tool specs, output
   * schema as JSON Schema) travels in the queue message; its answer is recorded once. Tools keep
   * their own setting: an action tool is offloaded only if it was defined with `offload: true`.
   * A turn whose request exceeds 96 KiB of JSON, or a Worker without the FANOUT queue, runs it in
   * the run's object.
   * @example
   * export default defineAgent({ slug: "researcher", systemPrompt: "…", model: "openai/gpt-4o", offload: true });
   */
  offload?: boolean;
}

export interface PromptResult<O = unknown> {
  text: string;
  output?: O;
  sessionId: string;
  messages: ModelMessage[];
  usage: Usage;
}

export interface AgentDefinition {
  readonly kind: "agent";
  readonly slug: string;
  readonly name: string;
  readonly description?: string;
  readonly input: z.ZodType;
  prompt<S extends z.ZodType | undefined = undefined>(request: {
    message: string;
    sessionId?: string;
    outputSchema?: S;
  }): Promise<PromptResult<S extends z.ZodType ? z.output<S> : undefined>>;
}

const agentInput = z.object({ message: z.string().describe("What to ask the agent") });

function toolSpec(tool: Tool): ToolSpec {
  const schema = tool.kind === "agent" ? agentInput : tool.input;
  return {
    name: tool.slug,
    description: tool.description ?? tool.name,
    parameters: z.toJSONSchema(schema, { unrepresentable: "any", io: "input" }),
  };
}

async function callTool(tool: Tool, args: Record<string, unknown>, agent: string, scope?: StepScope) {
  if (tool.kind === "agent") return (await tool.prompt({ message: String(args.message ?? "") })).text;
  // A workflow tool is a run of its own, recorded in the history and linked to this step.
  if (tool.kind === "workflow") return runWorkflowTool(tool, args, agent, scope);
  return (tool.run as (input: unknown) => Promise<unknown>)(args);
}

/**
 * Defines an agent. Default-export it from a file in `src/agents/`.
 * @example
 * export default defineAgent({
 *   slug: "support",
 *   systemPrompt: "You help customers with their orders.",
 *   model: "openai/gpt-4o-mini",
 *   tools: [lookupOrder, refundOrder],
 * });
 */
export function defineAgent(options: AgentOptions): AgentDefinition {
  const maxTurns = options.maxTurns ?? 10;
  const tools = new Map((options.tools ?? []).map((tool) => [tool.slug, tool]));
  /** A turn's step fields when turns are offloaded: the message carries the whole request. */
  const offloaded = (request: ModelRequest) => (options.offload ? { offload: true, offloadInput: request } : {});

  /** The tool-calling loop; `scope` makes each turn and tool call a step, or nothing outside a run. */
  async function loop(
    message: string,
    sessionId: string,
    outputSchema: z.ZodType | undefined,
    scope?: StepScope,
    turnKey?: string,
  ) {
    const sessions = sessionStoreFor(sessionId);
    const history = scope
      ? await scope.step({
          kind: "action",
          name: "session",
          input: { sessionId },
          execute: () => sessions.load(sessionId),
        })
      : await sessions.load(sessionId);
    // Copy: a recorded step output must never change under the log that holds it.
    const messages: ModelMessage[] = history.length
      ? [...history]
      : [{ role: "system", content: options.systemPrompt }];
    // What this turn adds: appended as one piece, so a turn never writes over another.
    const firstNew = history.length;
    messages.push({ role: "user", content: message });
    // The same on every replay of a run's agent step, so a repeated append is ignored.
    const key = turnKey ?? (scope?.stepId ? `${scope.runId}/${scope.stepId}` : crypto.randomUUID());
    const appendTurn = () => sessions.append(sessionId, { key, messages: messages.slice(firstNew) });
    let usage: Usage = { inputTokens: 0, outputTokens: 0 };
    const specs = [...tools.values()].map(toolSpec);
    for (let turn = 0; turn < maxTurns; turn++) {
      const request = { model: options.model, messages: [...messages], tools: specs };
      // The client is looked up per call: an offloaded turn needs none in the run's object.
      const call = (signal?: AbortSignal) => getModelClient().complete(request, { signal });
      const response = scope
        ? await scope.step({
            kind: "llm",
            name: "llm",
            input: { turn, messages: messages.length },
            ...offloaded(request),
            execute: call,
            usageOf: (r) => r.usage,
          })
        : await call();
      usage = {
        inputTokens: usage.inputTokens + response.usage.inputTokens,
        outputTokens: usage.outputTokens + response.usage.outputTokens,
      };
      messages.push({
        role: "assistant",
        content: response.text,
        ...(response.toolCalls.length ? { toolCalls: response.toolCalls } : {}),
      });
      if (!response.toolCalls.length) {
        const output = outputSchema ? await structured(messages, outputSchema, scope) : undefined;
        if (scope)
          await scope.step({
            kind: "action",
            name: "session-save",
            input: { sessionId, length: messages.length },
            execute: appendTurn,
          });
        else await appendTurn();
        return { text: response.text, output, sessionId, messages, usage };
      }
      for (const toolCall of response.toolCalls) {
        const tool = tools.get(toolCall.name);
        let content: string;
        try {
          if (!tool) throw new UsageError(`no tool named ${toolCall.name}`);
          const run = () => callTool(tool, toolCall.arguments, options.slug, scope);
          // Tools run as steps of this agent; a workflow tool may not sleep or wait on a hook.
          const result = scope
            ? await ambientScope.run({ type: "run", scope, toolOf: options.slug }, run)
            : await run();
          content = JSON.stringify(result ?? null);
        } catch (error) {
          // The model sees the failure and can recover; the run does not fail for it.
          content = JSON.stringify({ error: (error as Error).message });
        }
        messages.push({ role: "tool", toolCallId: toolCall.id, name: toolCall.name, content });
      }
    }
    throw new UsageError(`agent ${options.slug} did not finish within ${maxTurns} turns`);
  }

  /** With an output schema, one more turn asks for the final answer in that shape. */
  async function structured(messages: ModelMessage[], schema: z.ZodType, scope?: StepScope): Promise<unknown> {
    const request = {
      model: options.model,
      messages: [
        ...messages,
        { role: "user" as const, content: "Give your final answer as JSON matching the required schema." },
      ],
      responseSchema: { name: "answer", schema: z.toJSONSchema(schema, { unrepresentable: "any" }) },
    };
    const call = (signal?: AbortSignal) => getModelClient().complete(request, { signal });
    const response = scope
      ? await scope.step({
          kind: "llm",
          name: "llm",
          input: { final: messages.length },
          ...offloaded(request),
          execute: call,
          usageOf: (r) => r.usage,
        })
      : await call();
    return schema.parse(JSON.parse(response.text));
  }

  const definition: AgentDefinition = {
    kind: "agent",
    slug: options.slug,
    name: options.name ?? options.slug,
    description: options.description,
    input: agentInput,
    async prompt({ message, sessionId, outputSchema }) {
      const ambient = currentScope();
      if (ambient?.type !== "run") {
        const id = sessionId ?? crypto.randomUUID();
        return (await loop(message, id, outputSchema)) as never;
      }
      // Inside a run the session id must be the same on every replay: derive it from the run.
      const id = sessionId ?? `${ambient.scope.runId}:${options.slug}`;
      return ambient.scope.child({
        kind: "agent",
        name: options.slug,
        input: { message, sessionId: id },
        run: (scope) => ambientScope.run({ type: "run", scope }, () => loop(message, id, outputSchema, scope)),
      }) as never;
    },
  };
  return definition;
}
