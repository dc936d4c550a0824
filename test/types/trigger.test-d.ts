// Type tests of trigger attachments: transform and prompt receive the source's payload type, and a
// transform must return the attached workflow's input.
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineAgent } from "cairn-workflows/agent";
import { defineCronSource, definePollSource, defineWebhookSource } from "cairn-workflows/trigger";
import { defineWorkflow } from "cairn-workflows/workflow";

const recordPayment = defineWorkflow({
  slug: "record-payment",
  input: z.object({ invoiceId: z.string(), note: z.string().default("") }),
  output: z.object({}),
  run: async () => ({}),
});
const notify = defineWorkflow({
  slug: "notify",
  input: z.object({ to: z.string() }),
  output: z.object({}),
  run: async () => ({}),
});
const support = defineAgent({ slug: "support", systemPrompt: "Help.", model: "openai/gpt-4o-mini" });

const stripe = defineWebhookSource({
  slug: "stripe-paid",
  endpoint: "stripe",
  request: z.object({ type: z.string(), data: z.object({ object: z.object({ id: z.string() }) }) }),
  auth: { token: "t" },
});

describe("a webhook attachment", () => {
  it("hands transform the request schema's output", () => {
    stripe.attach({
      workflow: recordPayment,
      transform: (event) => {
        expectTypeOf(event).toEqualTypeOf<{ type: string; data: { object: { id: string } } }>();
        return { invoiceId: event.data.object.id };
      },
    });
  });

  it("refuses a transform whose return is not the workflow's input", () => {
    // @ts-expect-error invoiceId must be a string
    stripe.attach({ workflow: recordPayment, transform: (event) => ({ invoiceId: event.data.object.id.length }) });
    // @ts-expect-error invoiceId is missing
    stripe.attach({ workflow: recordPayment, transform: () => ({ note: "x" }) });
    // @ts-expect-error the payload has no `email`
    stripe.attach({ workflow: notify, transform: (event) => ({ to: event.email }) });
  });

  it("checks each workflow of an attachment list against its own input", () => {
    stripe.attach([
      {
        workflow: recordPayment,
        transform: (event) => {
          expectTypeOf(event.data.object.id).toEqualTypeOf<string>();
          return { invoiceId: event.data.object.id };
        },
      },
      { workflow: notify, transform: () => ({ to: "ops" }) },
      { agent: support, prompt: (event) => `paid: ${event.data.object.id}` },
    ]);
    // @ts-expect-error notify takes `to`, not `invoiceId`
    stripe.attach([
      { workflow: recordPayment, transform: (event) => ({ invoiceId: event.data.object.id }) },
      { workflow: notify, transform: (event) => ({ invoiceId: event.data.object.id }) },
    ]);
  });

  it("types chained attachments the same way", () => {
    const trigger = stripe.attach({ workflow: notify, transform: () => ({ to: "ops" }) });
    // @ts-expect-error chained transforms are checked too
    trigger.attach({ workflow: recordPayment, transform: () => ({ to: "ops" }) });
  });

  it("receives unknown without a request schema", () => {
    defineWebhookSource({ slug: "open", endpoint: "open", auth: { token: "t" } }).attach({
      workflow: notify,
      transform: (body) => {
        expectTypeOf(body).toEqualTypeOf<unknown>();
        return { to: String(body) };
      },
    });
  });

  it("hands an agent prompt the payload too", () => {
    stripe.attach({
      agent: support,
      prompt: (event) => {
        expectTypeOf(event.type).toEqualTypeOf<string>();
        return event.type;
      },
    });
  });
});

describe("cron and poll attachments", () => {
  it("types a cron payload and a poll result", () => {
    defineCronSource({ slug: "nightly", schedule: "@daily", payload: { to: "ops" } }).attach({
      workflow: notify,
      transform: (payload) => {
        expectTypeOf(payload).toEqualTypeOf<{ to: string }>();
        return payload;
      },
    });
    const inbox = definePollSource({ slug: "inbox", schedule: "*/5 * * * *", run: async () => ({ items: ["a"] }) });
    inbox.attach({ workflow: notify, transform: (result) => ({ to: result.items.join() }) });
    // @ts-expect-error items is a string array, not the input
    inbox.attach({ workflow: notify, transform: (result) => result.items });
  });
});
