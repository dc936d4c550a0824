// Fault injection at every event boundary: for each reference workflow shape, run it once
// cleanly to list its boundaries, then for every prefix of that log (the durable state left by a
// crash right after that append) recover from the prefix and check the outcome. Shapes: sequential,
// Promise.all, sub-workflow, retry, sleep, hook, LLM step, agent with tools, in-run fan-out. (Fan-out
// across runs through the Queue is proven by the redelivery test in test/workers/triggers.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "cairn/action";
import { defineAgent, setSessionStore } from "cairn/agent";
import { MemoryEventLog } from "cairn/testing";
import { defineWorkflow, promptLlm } from "cairn/workflow";
import { drive, type DriveOutcome } from "../../sdk/engine/driver.ts";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { setModelClient } from "../../sdk/engine/model-port.ts";
import { createModelClient } from "../../src/models/model-router.ts";
import {
  type MockLlmServer,
  openAiReply,
  type ReceivedRequest,
  type Reply,
  startMockLlmServer,
} from "../support/mock-llm-server.ts";

// Model calls go over HTTP to a local server speaking the Chat Completions protocol, which
// answers from the request itself, so a recovered run gets the same answers as the clean one.
let model: MockLlmServer;
const sessions = new Map<string, unknown[]>();
beforeAll(async () => {
  setSessionStore({
    load: async (id) => structuredClone((sessions.get(id) ?? []) as never),
    save: async (id, messages) => void sessions.set(id, structuredClone(messages)),
  });
  model = await startMockLlmServer();
  model.respond(answer);
  setModelClient(createModelClient(() => ({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: model.openAiBaseUrl })));
});
afterAll(async () => {
  setModelClient(undefined);
  await model.close();
});

function answer(request: ReceivedRequest): Reply {
  const messages = request.body.messages as { role: string; content: string | null }[];
  if (request.body.response_format) return openAiReply('{"category":"refund"}');
  if (request.body.tools) {
    // The agent looks up a1, then a2, then answers.
    const results = messages.filter((m) => m.role === "tool").length;
    if (results < 2)
      return openAiReply(null, [{ id: `call-${results}`, name: "effect", arguments: { name: `a${results + 1}` } }]);
    return openAiReply("found a1 and a2");
  }
  return openAiReply(`reply to: ${messages.at(-1)?.content}`);
}

const executions = new Map<string, number>();
const effect = defineAction({
  slug: "effect",
  input: z.object({ name: z.string() }),
  output: z.object({ name: z.string() }),
  run: async ({ name }) => {
    executions.set(name, (executions.get(name) ?? 0) + 1);
    return { name };
  },
});
const flaky = defineAction({
  slug: "flaky-effect",
  input: z.object({ name: z.string() }),
  output: z.object({ attempt: z.number() }),
  retries: { maxAttempts: 3, initialDelay: "1s" },
  run: async ({ name }, _credentials, { attempt }) => {
    executions.set(name, (executions.get(name) ?? 0) + 1);
    if (attempt < 3) throw new Error(`attempt ${attempt}`);
    return { attempt };
  },
});

const child = defineWorkflow({
  slug: "child-shape",
  input: z.object({ prefix: z.string() }),
  output: z.string(),
  run: async ({ prefix }) => {
    const a = await effect.run({ name: `${prefix}-a` });
    const b = await effect.run({ name: `${prefix}-b` });
    return `${a.name}+${b.name}`;
  },
});

const researcher = defineAgent({
  slug: "researcher",
  systemPrompt: "Look things up with the effect tool.",
  model: "openai/crash-test",
  tools: [effect],
});

const shapes = {
  sequential: defineWorkflow({
    slug: "sequential",
    input: z.object({}),
    output: z.array(z.string()),
    run: async () => [
      (await effect.run({ name: "s1" })).name,
      (await effect.run({ name: "s2" })).name,
      (await effect.run({ name: "s3" })).name,
    ],
  }),
  parallel: defineWorkflow({
    slug: "parallel",
    input: z.object({}),
    output: z.array(z.string()),
    run: async () =>
      (await Promise.all([effect.run({ name: "p1" }), effect.run({ name: "p2" }), effect.run({ name: "p3" })])).map(
        (r) => r.name,
      ),
  }),
  subWorkflow: defineWorkflow({
    slug: "sub-workflow",
    input: z.object({}),
    output: z.string(),
    run: async () => `${await child.run({ prefix: "c1" })}|${await child.run({ prefix: "c2" })}`,
  }),
  retry: defineWorkflow({
    slug: "retry",
    input: z.object({}),
    output: z.number(),
    run: async () => (await flaky.run({ name: "r1" })).attempt,
  }),
  sleep: defineWorkflow({
    slug: "sleep",
    input: z.object({}),
    output: z.string(),
    run: async (_input, ctx) => {
      await effect.run({ name: "before-sleep" });
      await ctx.sleep("1h");
      return (await effect.run({ name: "after-sleep" })).name;
    },
  }),
  hook: defineWorkflow({
    slug: "hook",
    input: z.object({}),
    output: z.boolean(),
    run: async (_input, ctx) => {
      const approval = ctx.hook({ schema: z.object({ ok: z.boolean() }) });
      await effect.run({ name: "send-link" });
      const { ok } = await approval;
      await effect.run({ name: "after-hook" });
      return ok;
    },
  }),
  llm: defineWorkflow({
    slug: "llm",
    input: z.object({}),
    output: z.object({ category: z.string(), reply: z.string() }),
    run: async () => {
      const { category } = await promptLlm("classify: I want my money back", {
        model: "openai/crash-test",
        outputSchema: z.object({ category: z.string() }),
      });
      await effect.run({ name: `route-${category}` });
      const reply = await promptLlm(`draft a ${category} reply`, { model: "openai/crash-test" });
      return { category, reply };
    },
  }),
  agent: defineWorkflow({
    slug: "agent",
    input: z.object({}),
    output: z.string(),
    run: async () => (await researcher.prompt({ message: "look up a1 and a2" })).text,
  }),
  fanOut: defineWorkflow({
    slug: "fan-out",
    input: z.object({}),
    output: z.array(z.string()),
    run: async () => Promise.all(["f1", "f2", "f3", "f4"].map((prefix) => child.run({ prefix }))),
  }),
};

/** Drives passes until the run finishes: time jumps past every wait, hooks are resumed. */
async function runToEnd(
  workflow: (typeof shapes)[keyof typeof shapes],
  log: MemoryEventLog,
  clock: { now: number },
): Promise<DriveOutcome> {
  for (let pass = 0; pass < 20; pass++) {
    const outcome = await drive(workflow, log, { runId: "crash-test", now: clock.now });
    if (outcome.status !== "suspended") return outcome;
    for (const wait of outcome.waits) {
      if (wait.kind === "hook") log.append({ type: "hook_resumed", stepId: wait.stepId, payload: { ok: true } });
      else clock.now = Math.max(clock.now, wait.wakeAt);
    }
  }
  throw new Error("run did not finish in 20 passes");
}

function startedLog(slug: string, events: RunEvent[] = []): MemoryEventLog {
  const log = new MemoryEventLog({ events: events.map((e) => ({ ...e })) });
  if (log.events.length === 0)
    log.append({ type: "run_started", workflow: slug, input: {}, trigger: { type: "api" }, triggeredAt: 0 });
  return log;
}

describe("crash at every event boundary", () => {
  let crashPoints = 0;

  for (const [name, workflow] of Object.entries(shapes)) {
    it(`recovers the ${name} shape from every prefix of its log with the clean output`, async () => {
      executions.clear();
      sessions.clear();
      const clean = startedLog(workflow.slug);
      const cleanOutcome = await runToEnd(workflow, clean, { now: Date.now() });
      expect(cleanOutcome.status).toBe("completed");
      const cleanExecutions = new Map(executions);
      const savedByCleanRun = new Map(sessions);

      for (let k = 1; k < clean.events.length; k++) {
        crashPoints++;
        const prefix = clean.events.slice(0, k);
        const completedBefore = new Set(
          prefix.filter((e) => e.type === "step_completed").map((e) => (e as { stepId: string }).stepId),
        );
        executions.clear();
        // The session store holds what the save steps completed before the crash wrote.
        sessions.clear();
        if (prefix.some((e) => e.type === "step_completed" && e.stepId.endsWith("/session-save#0")))
          for (const [id, messages] of savedByCleanRun) sessions.set(id, messages);
        const recovered = startedLog(workflow.slug, prefix);
        const requestsBefore = model.requests.length;
        const outcome = await runToEnd(workflow, recovered, { now: Date.now() });
        expect(outcome, `crash after event ${k} (${prefix.at(-1)?.type})`).toEqual(cleanOutcome);
        // A model call whose step completed before the crash is never made (or paid for) again;
        // every other one is made exactly once.
        const llmSteps = (events: RunEvent[]) =>
          new Set(events.flatMap((e) => (e.type === "step_started" && e.kind === "llm" ? [e.stepId] : [])));
        const completedLlm = [...llmSteps(clean.events)].filter((id) => completedBefore.has(id)).length;
        expect(model.requests.length - requestsBefore, `model calls after crash at ${k}`).toBe(
          llmSteps(clean.events).size - completedLlm,
        );
        // A step completed before the crash never executes again.
        for (const event of recovered.events) {
          if (event.type === "step_completed" && completedBefore.has(event.stepId)) {
            const input = recovered.events.find((e) => e.type === "step_started" && e.stepId === event.stepId);
            expect(input, `step ${event.stepId} has a start`).toBeDefined();
          }
        }
        for (const effectName of cleanExecutions.keys()) {
          const id = [...completedBefore].find((stepId) => {
            const output = prefix.find((e) => e.type === "step_completed" && e.stepId === stepId) as
              | { output?: { name?: string } }
              | undefined;
            return output?.output?.name === effectName;
          });
          if (id) expect(executions.get(effectName) ?? 0, `${effectName} re-executed after crash at ${k}`).toBe(0);
        }
        // Every step completes exactly once in the recovered log.
        const completions = recovered.events
          .filter((e) => e.type === "step_completed")
          .map((e) => (e as { stepId: string }).stepId);
        expect(new Set(completions).size).toBe(completions.length);
      }
    });
  }

  it("fails a step whose attempt keeps getting cut off by crashes instead of looping forever", async () => {
    const log = startedLog("sequential");
    for (let i = 0; i < 3; i++) {
      log.append({
        type: "step_started",
        stepId: "effect#0",
        kind: "action",
        name: "effect",
        attempt: 1,
        inputHash: "3a8a8f0e",
      });
    }
    const { inputHash } = await import("../../sdk/engine/input-hash.ts");
    for (const event of log.events) if (event.type === "step_started") event.inputHash = inputHash({ name: "s1" });
    executions.clear();
    const outcome = await drive(shapes.sequential, log, { runId: "crash-loop" });
    expect(outcome).toMatchObject({ status: "failed", error: { code: "attempt_interrupted" } });
    expect(executions.get("s1")).toBeUndefined();
  });

  it("tried a crash point at every boundary of every shape", () => {
    expect(crashPoints).toBeGreaterThan(90);
    console.log(`crash points tried: ${crashPoints}`);
  });
});
