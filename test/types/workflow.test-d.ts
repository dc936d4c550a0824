// Type tests of workflow definitions, executeWorkflow and durations: inputs and outputs keep their
// schema types, slugs stay literal, and only duration strings the parser reads compile.
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { type ActionDefinition, defineAction } from "cairn-workflows/action";
import { executeWorkflow } from "cairn-workflows/testing";
import {
  type Duration,
  defineWorkflow,
  type durationSchema,
  type WorkflowContext,
  type WorkflowDefinition,
} from "cairn-workflows/workflow";

const greeting = defineWorkflow({
  slug: "greeting",
  input: z.object({ name: z.string(), greeting: z.string().default("Hello") }),
  output: z.object({ message: z.string(), length: z.number().transform(String) }),
  run: async ({ name, greeting }) => ({ message: `${greeting}, ${name}!`, length: name.length }),
});

describe("defineWorkflow", () => {
  it("keeps the slug as a literal type", () => {
    expectTypeOf(greeting.slug).toEqualTypeOf<"greeting">();
    expectTypeOf(greeting).toExtend<WorkflowDefinition>();
  });

  it("types run's input as z.input and its result as z.output", () => {
    expectTypeOf(greeting.run).parameter(0).toEqualTypeOf<{ name: string; greeting?: string | undefined }>();
    expectTypeOf(greeting.run).returns.resolves.toEqualTypeOf<{ message: string; length: string }>();
  });

  it("exposes no engine internals on a definition", () => {
    expectTypeOf(greeting).not.toHaveProperty("runFn");
    const action = defineAction({
      slug: "a",
      input: z.object({}),
      output: z.object({}),
      run: async () => ({}),
    });
    expectTypeOf(action).not.toHaveProperty("invoke");
    expectTypeOf(action).toExtend<ActionDefinition>();
  });
});

describe("executeWorkflow", () => {
  it("takes the workflow's z.input and completes with its z.output", async () => {
    const result = await executeWorkflow(greeting, { name: "Ada" });
    if (result.status === "completed") expectTypeOf(result.output).toEqualTypeOf<{ message: string; length: string }>();
    expectTypeOf(executeWorkflow<typeof greeting>)
      .parameter(1)
      .toEqualTypeOf<{
        name: string;
        greeting?: string | undefined;
      }>();
  });

  it("refuses input that does not match the schema", () => {
    // @ts-expect-error name must be a string
    void executeWorkflow(greeting, { name: 1 });
    // @ts-expect-error name is required
    void executeWorkflow(greeting, {});
  });
});

describe("durations", () => {
  const sleep = (ctx: WorkflowContext) => ctx.sleep;

  it("accepts milliseconds, numbers with a unit the parser reads, and Dates", () => {
    expectTypeOf(sleep).returns.toBeCallableWith("2 days");
    expectTypeOf(sleep).returns.toBeCallableWith("30s");
    expectTypeOf(sleep).returns.toBeCallableWith("1.5h");
    expectTypeOf(sleep).returns.toBeCallableWith("15 minutes");
    expectTypeOf(sleep).returns.toBeCallableWith(1500);
    expectTypeOf(sleep).returns.toBeCallableWith(new Date());
  });

  it("refuses strings that are not durations", async () => {
    const ctx = {} as WorkflowContext;
    // @ts-expect-error not a duration
    await ctx.sleep("soon-ish");
    // @ts-expect-error a unit is needed
    await ctx.sleep("2 fortnights");
    // @ts-expect-error any string is not a duration
    await ctx.sleep("2 days" as string);
    // @ts-expect-error hook timeouts are durations too
    ctx.hook({ timeout: "a while" });
  });

  it("types a duration read from input with durationSchema", () => {
    expectTypeOf<z.output<typeof durationSchema>>().toEqualTypeOf<Exclude<Duration, number>>();
    expectTypeOf<z.output<typeof durationSchema>>().toExtend<Parameters<WorkflowContext["sleep"]>[0]>();
  });
});

describe("ctx.patched", () => {
  it("takes a patch id and answers a boolean at once (not a promise)", () => {
    expectTypeOf<WorkflowContext["patched"]>().parameters.toEqualTypeOf<[patchId: string]>();
    expectTypeOf<WorkflowContext["patched"]>().returns.toEqualTypeOf<boolean>();
    const ctx = {} as WorkflowContext;
    // @ts-expect-error a patch id is required
    ctx.patched();
    // @ts-expect-error a patch id is a string
    ctx.patched(2);
  });

  it("reports a blocked replay in the testing harness with its reason", async () => {
    const result = await executeWorkflow(greeting, { name: "a" });
    if (result.status === "blocked") {
      expectTypeOf(result.reason.stepId).toEqualTypeOf<string>();
      expectTypeOf(result.reason.diff).toEqualTypeOf<string[]>();
    }
  });
});

describe("flow-control options", () => {
  it("types key functions from the workflow's parsed input", () => {
    defineWorkflow({
      slug: "typed-flow",
      input: z.object({ userId: z.string(), plan: z.enum(["free", "pro"]).default("free") }),
      output: z.object({}),
      concurrency: {
        limit: 2,
        key: (input) => {
          expectTypeOf(input).toEqualTypeOf<{ userId: string; plan: "free" | "pro" }>();
          return input.userId;
        },
      },
      priority: (input) => (input.plan === "pro" ? 10 : 0),
      rateLimit: { limit: 10, period: "1m", mode: "drop" },
      singleton: { key: (input) => input.userId, mode: "cancel-running" },
      run: async () => ({}),
    });
    defineWorkflow({
      slug: "typed-flow-bad",
      input: z.object({ userId: z.string() }),
      output: z.object({}),
      // @ts-expect-error a key is a string or a number
      concurrency: { limit: 1, key: (input) => ({ id: input.userId }) },
      run: async () => ({}),
    });
  });

  it("gives a batch key one item and the run the array", () => {
    defineWorkflow({
      slug: "typed-batch",
      input: z.array(z.object({ tenant: z.string(), n: z.number() })),
      output: z.object({ count: z.number() }),
      batch: { maxSize: 10, maxWait: "5s", key: (item) => item.tenant },
      run: async (items) => ({ count: items.length }),
    });
    defineWorkflow({
      slug: "typed-batch-bad",
      input: z.object({ tenant: z.string() }),
      output: z.object({}),
      // @ts-expect-error a batch needs an array input: its key has no item to read
      batch: { maxSize: 10, maxWait: "5s", key: (item) => item.tenant },
      run: async () => ({}),
    });
  });
});
