// Human in the loop: send an approval link, wait for the decision (or escalate after the
// timeout), and branch on it.
import { z } from "zod";
import { defineWorkflow, durationSchema, HookTimeoutError } from "cairn-workflows/workflow";
import { sendMessage } from "../actions/greeting-actions.ts";

export default defineWorkflow({
  slug: "expense-approval",
  name: "Expense approval",
  description: "Asks a manager to approve an expense through a link, with a deadline.",
  input: z.object({
    employee: z.string(),
    amount: z.number().positive(),
    manager: z.string(),
    timeout: durationSchema.default("24h"),
  }),
  output: z.object({ decision: z.enum(["approved", "rejected", "escalated"]), note: z.string().optional() }),
  run: async ({ employee, amount, manager, timeout }, ctx) => {
    const approval = ctx.hook({
      schema: z.object({ approved: z.boolean(), note: z.string().optional() }),
      timeout,
    });
    await sendMessage.run({
      to: manager,
      text: `${employee} spent ${amount}. Approve: ${approval.resumeUrl}?approved=true`,
    });
    try {
      const { approved, note } = await approval;
      return { decision: approved ? ("approved" as const) : ("rejected" as const), note };
    } catch (error) {
      if (!(error instanceof HookTimeoutError)) throw error;
      await sendMessage.run({ to: `${manager}-boss`, text: `Expense of ${amount} by ${employee} needs a decision` });
      return { decision: "escalated" as const };
    }
  },
});
