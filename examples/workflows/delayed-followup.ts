// Send, sleep durably, follow up: the run holds no process while it sleeps.
import { z } from "zod";
import { defineWorkflow, durationSchema } from "cairn-workflows/workflow";
import { sendMessage } from "../actions/greeting-actions.ts";

export default defineWorkflow({
  slug: "delayed-followup",
  name: "Delayed follow-up",
  description: "Sends a message, waits, then sends a follow-up.",
  input: z.object({ to: z.string(), delay: durationSchema.default("2 days") }),
  output: z.object({ first: z.string(), followUp: z.string() }),
  run: async ({ to, delay }, ctx) => {
    const first = await sendMessage.run({ to, text: "Thanks for signing up!" });
    await ctx.sleep(delay);
    const followUp = await sendMessage.run({ to, text: "How is it going so far?" });
    return { first: first.messageId, followUp: followUp.messageId };
  },
});
