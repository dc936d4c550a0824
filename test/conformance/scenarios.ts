// The driver conformance suite: scenarios run against every EventLog implementation
// (MemoryEventLog in Node, the Durable Object's SqlEventLog in workerd), so the testing harness
// cannot drift from production.
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { defineWorkflow, NonRetryableError } from "cairn-workflows/workflow";
import { type DriveOutcome, drive } from "../../sdk/engine/driver.ts";
import type { EventLog } from "../../sdk/engine/event-log.ts";

const double = defineAction({
  slug: "conf-double",
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  run: async ({ n }) => ({ n: n * 2 }),
});

const failTwice = defineAction({
  slug: "conf-fail-twice",
  input: z.object({}),
  output: z.object({ attempt: z.number() }),
  retries: { maxAttempts: 3, initialDelay: "1s" },
  run: async (_input, _credentials, { attempt }) => {
    if (attempt < 3) throw new Error(`attempt ${attempt} failed`);
    return { attempt };
  },
});

const fatal = defineAction({
  slug: "conf-fatal",
  input: z.object({}),
  output: z.object({}),
  run: async () => {
    throw new NonRetryableError("no");
  },
});

export interface Scenario {
  name: string;
  workflow: ReturnType<typeof defineWorkflow>;
  input: unknown;
  /** Logical times of successive passes, relative to the start. */
  passes: number[];
  /** Something to do to the log before a pass (by index), e.g. a hook resume. */
  before?: Record<number, (log: EventLog) => void>;
  expected: { status: DriveOutcome["status"]; output?: unknown; types: string[] };
}

export const scenarios: Scenario[] = [
  {
    name: "sequential and parallel actions",
    workflow: defineWorkflow({
      slug: "conf-actions",
      input: z.object({ n: z.number() }),
      output: z.number(),
      run: async ({ n }) => {
        const [a, b] = await Promise.all([double.run({ n }), double.run({ n: n + 1 })]);
        return (await double.run({ n: a.n + b.n })).n;
      },
    }),
    input: { n: 1 },
    passes: [0],
    expected: {
      status: "completed",
      output: 12,
      types: [
        "run_started",
        "step_started",
        "step_started",
        "step_completed",
        "step_completed",
        "step_started",
        "step_completed",
        "run_completed",
      ],
    },
  },
  {
    name: "retries with backoff across passes",
    workflow: defineWorkflow({
      slug: "conf-retry",
      input: z.object({}),
      output: z.number(),
      run: async () => (await failTwice.run({})).attempt,
    }),
    input: {},
    passes: [0, 1_000, 3_000],
    expected: {
      status: "completed",
      output: 3,
      types: [
        "run_started",
        "step_started",
        "step_retrying",
        "step_started",
        "step_retrying",
        "step_started",
        "step_completed",
        "run_completed",
      ],
    },
  },
  {
    name: "a non-retryable failure fails the run",
    workflow: defineWorkflow({
      slug: "conf-fatal",
      input: z.object({}),
      output: z.object({}),
      run: async () => fatal.run({}),
    }),
    input: {},
    passes: [0],
    expected: { status: "failed", types: ["run_started", "step_started", "step_failed", "run_failed"] },
  },
  {
    name: "sleep then hook",
    workflow: defineWorkflow({
      slug: "conf-waits",
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      run: async (_input, ctx) => {
        await ctx.sleep("1m");
        return ctx.hook({ schema: z.object({ ok: z.boolean() }) });
      },
    }),
    input: {},
    passes: [0, 60_000, 61_000],
    before: {
      2: (log) => {
        const created = log.events.find((e) => e.type === "hook_created");
        if (created?.type === "hook_created")
          log.append({ type: "hook_resumed", stepId: created.stepId, payload: { ok: true } });
      },
    },
    expected: {
      status: "completed",
      output: { ok: true },
      types: ["run_started", "sleep_started", "sleep_completed", "hook_created", "hook_resumed", "run_completed"],
    },
  },
];

/** Runs a scenario's passes against a log and returns the last outcome and the event types. */
export async function runScenario(scenario: Scenario, log: EventLog, start = Date.now()) {
  if (!log.events.some((e) => e.type === "run_started")) {
    log.append({
      type: "run_started",
      workflow: scenario.workflow.slug,
      input: scenario.input,
      trigger: { type: "api" },
      triggeredAt: start,
    });
  }
  let outcome: DriveOutcome | undefined;
  for (const [index, offset] of scenario.passes.entries()) {
    scenario.before?.[index]?.(log);
    outcome = await drive(scenario.workflow, log, { runId: "conformance", now: start + offset + 500 });
  }
  return { outcome: outcome!, types: log.events.map((e) => e.type) };
}
