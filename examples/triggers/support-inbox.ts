// POST /triggers/support?token=<SUPPORT_WEBHOOK_TOKEN> {"message": "..."} hands the message to the
// support agent. The agent has a refund tool and spends model tokens, so the source takes only
// callers holding the token: set it in `.dev.vars` locally (`SUPPORT_WEBHOOK_TOKEN=...`) and with
// `npx wrangler secret put SUPPORT_WEBHOOK_TOKEN` in production; until it is set, every delivery is refused.
import { z } from "zod";
import { defineWebhookSource } from "cairn-workflows/trigger";
import support from "../agents/support.ts";

export default defineWebhookSource({
  slug: "support-inbox",
  endpoint: "support",
  request: z.object({ message: z.string().min(1), from: z.string().optional() }),
  auth: { token: { secret: "SUPPORT_WEBHOOK_TOKEN" } },
}).attach({
  agent: support,
  prompt: (body: { message: string; from?: string }) => `${body.from ?? "A customer"} writes: ${body.message}`,
});
