// Fault injection at every event boundary: for each reference workflow shape, run it once
// cleanly to list its boundaries, then for every prefix of that log (the durable state left by a
// crash right after that append) recover from the prefix and check the outcome, the recovered log
// against the clean one, and how often each step ran again. Shapes: sequential,
// Promise.all, sub-workflow, retry, sleep, hook, LLM step, agent with tools, in-run fan-out. (Fan-out
// across runs through the Queue is proven by the redelivery test in test/workers/triggers.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { defineAgent } from "cairn-workflows/agent";
import { MemoryEventLog } from "cairn-workflows/testing";
import { defineWorkflow, promptLlm } from "cairn-workflows/workflow";
import { drive, type DriveOutcome } from "../../sdk/engine/driver.ts";
import type { RunEvent } from "../../sdk/engine/events.ts";
import { inputHash } from "../../sdk/engine/input-hash.ts";
import { setModelClient } from "../../sdk/engine/model-port.ts";
import { setSessionStore } from "../../sdk/session-store.ts";
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
    append: async (id, turn) => void sessions.set(id, [...(sessions.get(id) ?? []), ...structuredClone(turn.messages)]),
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

/** The reference shapes, built afresh for each test so no test reads another's side-effect counts. */
function createShapes() {
  /** Executions of each effect, by the name it was given (one name per step). */
  const executions = new Map<string, number>();
  const count = (name: string) => executions.set(name, (executions.get(name) ?? 0) + 1);

  const effect = defineAction({
    slug: "effect",
    input: z.object({ name: z.string() }),
    output: z.object({ name: z.string() }),
    run: async ({ name }) => {
      count(name);
      return { name };
    },
  });
  const flaky = defineAction({
    slug: "flaky-effect",
    input: z.object({ name: z.string() }),
    output: z.object({ attempt: z.number() }),
    retries: { maxAttempts: 3, initialDelay: "1s" },
    run: async ({ name }, _credentials, { attempt }) => {
      count(name);
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
  return { executions, shapes };
}

type Shapes = ReturnType<typeof createShapes>["shapes"];
const shapeNames = [
  "sequential",
  "parallel",
  "subWorkflow",
  "retry",
  "sleep",
  "hook",
  "llm",
  "agent",
  "fanOut",
] as const;

/** Drives passes until the run finishes: time jumps past every wait, hooks are resumed. */
async function runToEnd(
  workflow: Shapes[keyof Shapes],
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

/** Fields that differ between two runs of the same history: clock readings, random hook tokens, stacks. */
const VOLATILE = new Set(["seq", "at", "triggeredAt", "wakeAt", "retryAt", "timeoutAt", "token", "resumeUrl", "stack"]);

function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !VOLATILE.has(key))
      .map(([key, v]) => [key, normalized(v)]),
  );
}

/**
 * True for the `step_started` of an attempt that has no outcome in `events`: the crash cut it off.
 * Only attempts (actions, LLM calls) start again; sub-workflows and agents are scopes, started once.
 */
function cutOff(events: readonly RunEvent[]) {
  return (event: RunEvent) =>
    event.type === "step_started" &&
    (event.kind === "action" || event.kind === "llm") &&
    !events.some(
      (e) =>
        (e.type === "step_completed" && e.stepId === event.stepId) ||
        ((e.type === "step_retrying" || e.type === "step_failed") &&
          e.stepId === event.stepId &&
          e.attempt === event.attempt),
    );
}

/** Shapes with steps in flight together (Promise.all). */
const concurrentShapes = new Set<string>(["parallel", "fanOut"]);

/** Normalized events grouped by step id (run-level events under ""), each group in log order. */
function byStep(events: unknown[]): Record<string, unknown[]> {
  const groups: Record<string, unknown[]> = {};
  for (const event of events) {
    const stepId = (event as { stepId?: string }).stepId ?? "";
    groups[stepId] = [...(groups[stepId] ?? []), event];
  }
  return groups;
}

/** Attempts of `stepId` whose outcome (completed, retrying, failed) is recorded in `events`. */
function finishedAttempts(events: readonly RunEvent[], stepId: string): number {
  return events.filter(
    (e) =>
      (e.type === "step_completed" || e.type === "step_retrying" || e.type === "step_failed") && e.stepId === stepId,
  ).length;
}

/** The step that ran the effect called `name`, found by the hash of its input in the clean log. */
function stepOfEffect(events: readonly RunEvent[], name: string): string {
  const hash = inputHash({ name });
  const ids = new Set(
    events.flatMap((e) =>
      e.type === "step_started" && (e.name === "effect" || e.name === "flaky-effect") && e.inputHash === hash
        ? [e.stepId]
        : [],
    ),
  );
  if (ids.size !== 1) throw new Error(`effect ${name} maps to steps ${[...ids].join(", ") || "none"}`);
  return [...ids][0]!;
}

/** Runs `workflow` without a crash; the recovered runs must reproduce this log and output. */
async function cleanRun(workflow: Shapes[keyof Shapes]) {
  sessions.clear();
  const log = startedLog(workflow.slug);
  const outcome = await runToEnd(workflow, log, { now: Date.now() });
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: "completed" });
  return { log, outcome, savedSessions: new Map(sessions) };
}

describe("crash at every event boundary", () => {
  for (const name of shapeNames) {
    it(`recovers the ${name} shape from every prefix of its log into the clean log, re-running only unfinished attempts`, async () => {
      const { executions, shapes } = createShapes();
      const workflow = shapes[name];
      const clean = await cleanRun(workflow);
      const cleanExecutions = new Map(executions);
      const effectSteps = new Map(
        [...cleanExecutions.keys()].map((effect) => [effect, stepOfEffect(clean.log.events, effect)]),
      );
      const llmSteps = clean.log.events.flatMap((e) =>
        e.type === "step_started" && e.kind === "llm" ? [e.stepId] : [],
      );
      expect(new Set(llmSteps).size, "one start per LLM step in the clean run").toBe(llmSteps.length);

      for (let k = 1; k < clean.log.events.length; k++) {
        const prefix = clean.log.events.slice(0, k);
        const at = `crash after event ${k} (${prefix.at(-1)?.type})`;
        executions.clear();
        // The session store holds what the save steps completed before the crash wrote.
        sessions.clear();
        if (prefix.some((e) => e.type === "step_completed" && e.stepId.endsWith("/session-save#0")))
          for (const [id, messages] of clean.savedSessions) sessions.set(id, messages);
        const recovered = startedLog(workflow.slug, prefix);
        const requestsBefore = model.requests.length;
        const outcome = await runToEnd(workflow, recovered, { now: Date.now() });
        expect(outcome, at).toEqual(clean.outcome);

        // The recovered log is the clean one, event for event, once the starts of the attempts the
        // crash cut off (which the recovery runs again under the same number) are taken out.
        const isCutOff = cutOff(prefix);
        const kept = recovered.events.filter((e, i) => i >= k || !isCutOff(e)).map(normalized);
        const expected = clean.log.events.map(normalized);
        if (concurrentShapes.has(name)) {
          // Steps in flight together may record in another order after a crash, so each step's own
          // history (and the run's) is compared, in order.
          expect(byStep(kept), at).toEqual(byStep(expected));
          expect(kept, at).toHaveLength(expected.length);
        } else {
          expect(kept, at).toEqual(expected);
        }

        // Per effect: an attempt whose outcome was recorded before the crash never runs again; every
        // other attempt of the clean run runs exactly once more.
        for (const [effect, stepId] of effectSteps) {
          expect(executions.get(effect) ?? 0, `${effect} (${stepId}) executions after ${at}`).toBe(
            cleanExecutions.get(effect)! - finishedAttempts(prefix, stepId),
          );
        }
        // The same for model calls: one completed before the crash is never made (or paid for) again.
        const unfinishedLlm = llmSteps.filter((stepId) => finishedAttempts(prefix, stepId) === 0);
        expect(model.requests.length - requestsBefore, `model calls after ${at}`).toBe(unfinishedLlm.length);
      }
    });
  }

  it("fails a step whose attempt keeps getting cut off by crashes instead of looping forever", async () => {
    const { executions, shapes } = createShapes();
    const log = startedLog("sequential");
    for (let i = 0; i < 3; i++) {
      log.append({
        type: "step_started",
        stepId: "effect#0",
        kind: "action",
        name: "effect",
        attempt: 1,
        inputHash: inputHash({ name: "s1" }),
      });
    }
    const outcome = await drive(shapes.sequential, log, { runId: "crash-loop" });
    expect(outcome).toMatchObject({ status: "failed", error: { code: "attempt_interrupted" } });
    expect(executions.get("s1")).toBeUndefined();
  });

  it("covers more than 90 crash boundaries across the shapes", async () => {
    let boundaries = 0;
    const { shapes } = createShapes();
    for (const name of shapeNames) boundaries += (await cleanRun(shapes[name])).log.events.length - 1;
    expect(boundaries).toBeGreaterThan(90);
  });
});
