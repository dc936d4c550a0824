// Offloaded model calls in the pure driver (decision 0023): the attempt carries the whole model
// request (output schema as JSON Schema) while the log records the small step input; the schema
// check and its repair call happen in the pass, on the recorded answers.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAgent } from "cairn-workflows/agent";
import { MemoryEventLog } from "cairn-workflows/testing";
import { defineWorkflow, promptLlm } from "cairn-workflows/workflow";
import { drive } from "../../sdk/engine/driver.ts";
import type { ModelRequest, ModelResponse } from "../../sdk/engine/model-port.ts";
import type { OffloadedAttempt, OffloadPort } from "../../sdk/engine/offload.ts";
import { offloadedHandler, offloadedUsage } from "../../sdk/engine/offloaded-actions.ts";

const counter = defineWorkflow({
  slug: "unit-offload-llm-count",
  input: z.object({ text: z.string() }),
  output: z.number(),
  run: async ({ text }) => {
    const outputSchema = z.object({ n: z.number() });
    return (await promptLlm(`Count: ${text}`, { model: "openai/m", outputSchema, offload: true })).n;
  },
});

const agent = defineAgent({ slug: "unit-offload-agent", systemPrompt: "Be brief.", model: "openai/m", offload: true });
const asker = defineWorkflow({
  slug: "unit-offload-agent-ask",
  input: z.object({ message: z.string() }),
  output: z.string(),
  run: async ({ message }) => (await agent.prompt({ message })).text,
});

const T = Date.now();

function port(): OffloadPort & { sent: OffloadedAttempt[] } {
  const sent: OffloadedAttempt[] = [];
  return { sent, accepts: () => true, dispatch: (attempt) => sent.push(attempt), reportWithinMs: () => 60_000 };
}

function newLog(workflow: string, input: unknown): MemoryEventLog {
  const log = new MemoryEventLog({ clock: () => T });
  log.append({ type: "run_started", workflow, input, trigger: { type: "api" }, triggeredAt: 0 });
  return log;
}

const answer = (text: string): ModelResponse => ({ text, toolCalls: [], usage: { inputTokens: 2, outputTokens: 1 } });

describe("offloaded model calls in the driver", () => {
  it("dispatches the whole request, records the small input, and repairs a bad answer with a second offloaded call", async () => {
    const log = newLog(counter.slug, { text: "a b c" });
    const offload = port();
    expect(await drive(counter, log, { runId: "r1", now: T + 1, offload })).toMatchObject({ status: "suspended" });
    const first = offload.sent[0]!;
    expect(first).toMatchObject({ stepId: "llm#0", stepKind: "llm", name: "llm", attempt: 1 });
    const request = first.input as ModelRequest;
    expect(request.messages).toEqual([{ role: "user", content: "Count: a b c" }]);
    expect(request.responseSchema?.schema).toMatchObject({ type: "object", required: ["n"] });
    // The log holds the prompt, not the request the message carried.
    expect(log.events[1]).toMatchObject({ type: "step_started", input: { prompt: "Count: a b c", model: "openai/m" } });

    log.append({ type: "step_completed", stepId: "llm#0", output: answer("three") });
    await drive(counter, log, { runId: "r1", now: T + 2, offload });
    const repair = offload.sent[1]!;
    expect(repair).toMatchObject({ stepId: "llm#1", stepKind: "llm" });
    expect((repair.input as ModelRequest).messages.slice(1).map((m) => m.role)).toEqual(["assistant", "user"]);

    log.append({ type: "step_completed", stepId: "llm#1", output: answer('{"n":3}') });
    expect(await drive(counter, log, { runId: "r1", now: T + 3, offload })).toEqual({ status: "completed", output: 3 });
  });

  it("fails the run when the repaired answer still misses the schema", async () => {
    const log = newLog(counter.slug, { text: "x" });
    const offload = port();
    await drive(counter, log, { runId: "r2", now: T + 1, offload });
    log.append({ type: "step_completed", stepId: "llm#0", output: answer("one") });
    await drive(counter, log, { runId: "r2", now: T + 2, offload });
    log.append({ type: "step_completed", stepId: "llm#1", output: answer("still one") });
    const outcome = await drive(counter, log, { runId: "r2", now: T + 3, offload });
    expect(outcome).toMatchObject({ status: "failed", error: { code: "invalid_output" } });
  });

  it("offloads an agent's turn with its conversation, while its session steps run in the pass", async () => {
    const log = newLog(asker.slug, { message: "hi" });
    const offload = port();
    await drive(asker, log, { runId: "r3", now: T + 1, offload });
    expect(offload.sent).toHaveLength(1);
    const turn = offload.sent[0]!;
    expect(turn).toMatchObject({ stepId: "unit-offload-agent#0/llm#0", stepKind: "llm" });
    expect((turn.input as ModelRequest).messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "hi" },
    ]);
    log.append({ type: "step_completed", stepId: "unit-offload-agent#0/llm#0", output: answer("hello") });
    expect(await drive(asker, log, { runId: "r3", now: T + 2, offload })).toEqual({
      status: "completed",
      output: "hello",
    });
  });

  it("gives the consumer a model call for an llm attempt and the action by slug otherwise", () => {
    expect(offloadedHandler({ stepKind: "llm", name: "llm" })).toBeTypeOf("function");
    expect(offloadedHandler({ name: "no-such-action" })).toBeUndefined();
    expect(offloadedUsage({ stepKind: "llm" }, answer("x"))).toEqual({ inputTokens: 2, outputTokens: 1 });
    expect(offloadedUsage({ stepKind: "action" }, answer("x"))).toBeUndefined();
  });
});
