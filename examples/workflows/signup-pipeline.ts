// Two actions in sequence: the second uses the first's result.
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import { createAccount, sendWelcomeEmail } from "../actions/greeting-actions.ts";

export default defineWorkflow({
  slug: "signup-pipeline",
  name: "Signup pipeline",
  description: "Creates an account, then sends the welcome email.",
  input: z.object({ email: z.email() }),
  output: z.object({ accountId: z.string(), messageId: z.string() }),
  run: async ({ email }) => {
    const { accountId } = await createAccount.run({ email });
    const { messageId } = await sendWelcomeEmail.run({ email, accountId });
    return { accountId, messageId };
  },
});
