// Type tests of the typed client: workflows.run checks input and types output by slug.
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  type AgentReply,
  type CairnClient,
  createClient,
  type RunEventsPage,
  type StartedRun,
  type SubscriptionRecord,
  type TriggerFailure,
  type WorkflowPaused,
  type WorkflowResumed,
} from "cairn-workflows/client";
import { defineWorkflow } from "cairn-workflows/workflow";
import type { RunEvent } from "../../sdk/engine/events.ts";
import type { GraphNode } from "../../sdk/workflow-graph.ts";
import type * as definitions from "../../examples/cairn.gen.ts";
import type greeting from "../../examples/workflows/greeting.ts";

const order = defineWorkflow({
  slug: "order-total",
  input: z.object({ quantity: z.number(), unitCents: z.number().default(100) }),
  output: z.object({ totalCents: z.number() }),
  run: async ({ quantity, unitCents }) => ({ totalCents: quantity * unitCents }),
});

const url = "http://127.0.0.1:8787";

describe("a client typed by the generated definitions module", () => {
  const client = createClient<typeof definitions>({ url });

  it("types a run's output by the workflow its slug names", () => {
    expectTypeOf(client.workflows.run("greeting", { name: "Ada" })).resolves.toEqualTypeOf<
      StartedRun<{ message: string }>
    >();
    expectTypeOf(client.workflows.run("signup-pipeline", { email: "a@b.c" }))
      .resolves.toHaveProperty("output")
      .toEqualTypeOf<{ accountId: string; messageId: string } | undefined>();
  });

  it("checks the input against the workflow's input schema", () => {
    // @ts-expect-error greeting needs a name
    void client.workflows.run("greeting", {});
    // @ts-expect-error name is a string
    void client.workflows.run("greeting", { name: 42 });
    expectTypeOf(client.workflows.run<"greeting">)
      .parameter(1)
      .toEqualTypeOf<{ name: string }>();
  });

  it("refuses a slug no workflow has", () => {
    // @ts-expect-error no workflow is called "greetings"
    void client.workflows.run("greetings", { name: "Ada" });
  });
});

describe("a client typed by a tuple of definitions", () => {
  const client = createClient<[typeof greeting, typeof order]>({ url });

  it("takes z.input (defaults optional) and answers z.output", () => {
    expectTypeOf(client.workflows.run<"order-total">)
      .parameter(1)
      .toEqualTypeOf<{
        quantity: number;
        unitCents?: number | undefined;
      }>();
    expectTypeOf(client.workflows.run("order-total", { quantity: 2 }))
      .resolves.toHaveProperty("output")
      .toEqualTypeOf<{ totalCents: number } | undefined>();
    // @ts-expect-error greeting's input is not order-total's
    void client.workflows.run("order-total", { name: "Ada" });
  });

  it("is a CairnClient of those definitions", () => {
    expectTypeOf(client).toEqualTypeOf<CairnClient<[typeof greeting, typeof order]>>();
  });
});

describe("a client without definitions", () => {
  const client = createClient({ url });

  it("stays loose for dynamic use: any slug, any input, unknown output", () => {
    expectTypeOf(client.workflows.run("anything", { any: "thing" }))
      .resolves.toHaveProperty("output")
      .toEqualTypeOf<unknown>();
  });

  it("types one call named by its workflow", () => {
    const run = client.workflows.run<typeof greeting>("greeting", { name: "Ada" });
    expectTypeOf(run).resolves.toHaveProperty("output").toEqualTypeOf<{ message: string } | undefined>();
    // @ts-expect-error the named workflow's input is checked
    void client.workflows.run<typeof greeting>("greeting", { nom: "Ada" });
  });
});

describe("the client's operation methods", () => {
  const client = createClient({ url });

  it("types pause, resume and the graph of a workflow", () => {
    expectTypeOf(client.workflows.pause("greeting", { reason: "why" })).resolves.toEqualTypeOf<WorkflowPaused>();
    expectTypeOf(client.workflows.resume("greeting")).resolves.toEqualTypeOf<WorkflowResumed>();
    expectTypeOf(client.workflows.resume("greeting")).resolves.toHaveProperty("released").toEqualTypeOf<number>();
    expectTypeOf(client.workflows.graph("greeting")).resolves.toHaveProperty("root").toEqualTypeOf<GraphNode>();
    // @ts-expect-error a reason is text
    void client.workflows.pause("greeting", { reason: 1 });
  });

  it("types a run's events as RunEvents, by page and by iterator", () => {
    expectTypeOf(client.runs.events("run_1", { after: 0 })).resolves.toEqualTypeOf<RunEventsPage>();
    expectTypeOf(client.runs.allEvents("run_1")).toEqualTypeOf<AsyncGenerator<RunEvent>>();
    // @ts-expect-error after is a sequence number
    void client.runs.events("run_1", { after: "0" });
  });

  it("types subscriptions, agents and trigger failures", () => {
    expectTypeOf(
      client.subscriptions.create("weekly", { subscriber: "acme" }),
    ).resolves.toEqualTypeOf<SubscriptionRecord>();
    // @ts-expect-error a subscription needs its subscriber
    void client.subscriptions.create("weekly", { metadata: {} });
    expectTypeOf(client.subscriptions.list("weekly"))
      .resolves.toHaveProperty("subscriptions")
      .toEqualTypeOf<SubscriptionRecord[]>();
    expectTypeOf(client.agents.prompt("support", { message: "hi" })).resolves.toEqualTypeOf<AgentReply>();
    // @ts-expect-error a prompt needs a message
    void client.agents.prompt("support", { sessionId: "s1" });
    expectTypeOf(client.triggers.failures("daily"))
      .resolves.toHaveProperty("failures")
      .toEqualTypeOf<TriggerFailure[]>();
  });
});
