// POST /triggers/support {"message": "..."} hands the message to the support agent.
import { z } from "zod";
import { defineWebhookSource } from "cairn/trigger";
import support from "../agents/support.ts";

export default defineWebhookSource({
  slug: "support-inbox",
  endpoint: "support",
  request: z.object({ message: z.string().min(1), from: z.string().optional() }),
}).attach({
  agent: support,
  prompt: (body: { message: string; from?: string }) => `${body.from ?? "A customer"} writes: ${body.message}`,
});
