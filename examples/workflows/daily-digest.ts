// A subscribable digest: each trigger starts one run per enabled subscription, each knowing
// its subscriber.
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import { sendMessage } from "../actions/greeting-actions.ts";

export default defineWorkflow({
  slug: "daily-digest",
  name: "Daily digest",
  description: "Sends each subscriber their daily digest.",
  subscription: { mode: "subscribable" },
  input: z.object({ edition: z.string().default("daily") }),
  output: z.object({ subscriber: z.string(), messageId: z.string() }),
  run: async ({ edition }, ctx) => {
    const subscriber = ctx.subscription?.subscriber ?? "nobody";
    const { messageId } = await sendMessage.run({ to: subscriber, text: `Your ${edition} digest` });
    return { subscriber, messageId };
  },
});
