// Sends a welcome email through Resend, then a follow-up two days later; idempotency keys make a
// retried attempt that had already reached Resend send nothing twice.
import { z } from "zod";
import { sendEmail } from "cairn-workflows/integrations/email";
import { defineWorkflow } from "cairn-workflows/workflow";

export default defineWorkflow({
  slug: "welcome-email",
  name: "Welcome email",
  description: "Welcomes a new user by email and follows up two days later.",
  input: z.object({ email: z.email(), name: z.string() }),
  output: z.object({ welcome: z.string(), followUp: z.string() }),
  run: async ({ email, name }, ctx) => {
    const from = "Acme <hello@acme.dev>";
    const welcome = await sendEmail.run({
      from,
      to: email,
      subject: `Welcome, ${name}`,
      text: `Hi ${name}, welcome aboard.`,
      html: `<p>Hi ${name}, welcome aboard.</p>`,
      idempotencyKey: `welcome/${email}`,
    });
    await ctx.sleep("2 days");
    const followUp = await sendEmail.run({
      from,
      to: email,
      subject: "How is it going?",
      text: "Reply to this email if you need a hand.",
      idempotencyKey: `follow-up/${email}`,
    });
    return { welcome: welcome.id, followUp: followUp.id };
  },
});
