// POST /triggers/signups {"email": "..."} starts signup-pipeline; a repeated X-Delivery-Id
// starts nothing new.
import { z } from "zod";
import { defineWebhookSource } from "cairn/trigger";
import signupPipeline from "../workflows/signup-pipeline.ts";

export default defineWebhookSource({
  slug: "signup-webhook",
  endpoint: "signups",
  request: z.object({ email: z.email(), plan: z.string().optional() }),
  deliveryIdHeader: "x-delivery-id",
}).attach({ workflow: signupPipeline, transform: (body: { email: string }) => ({ email: body.email }) });
