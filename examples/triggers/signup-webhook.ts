// POST /triggers/signups?token=<SIGNUP_WEBHOOK_TOKEN> {"email": "..."} starts signup-pipeline; a
// repeated X-Delivery-Id starts nothing new. Set the token in `.dev.vars` locally
// (`SIGNUP_WEBHOOK_TOKEN=...`) and with `npx wrangler secret put SIGNUP_WEBHOOK_TOKEN` in production:
// until it is set, every delivery is refused.
import { z } from "zod";
import { defineWebhookSource } from "cairn-workflows/trigger";
import signupPipeline from "../workflows/signup-pipeline.ts";

export default defineWebhookSource({
  slug: "signup-webhook",
  endpoint: "signups",
  request: z.object({ email: z.email(), plan: z.string().optional() }),
  // The token comes as `?token=` or the `x-cairn-token` header; the secret keeps it out of the source.
  auth: { token: { secret: "SIGNUP_WEBHOOK_TOKEN" } },
  deliveryIdHeader: "x-delivery-id",
}).attach({ workflow: signupPipeline, transform: (body: { email: string }) => ({ email: body.email }) });
