// Actions the example workflows share: small, deterministic stand-ins for real services.
import { z } from "zod";
import { defineAction, NonRetryableError } from "cairn-workflows/action";

export const formatGreeting = defineAction({
  slug: "format-greeting",
  description: "Builds a greeting line for a name.",
  input: z.object({ name: z.string() }),
  output: z.object({ message: z.string() }),
  run: async ({ name }) => ({ message: `Hello, ${name}!` }),
});

export const createAccount = defineAction({
  slug: "create-account",
  description: "Creates an account for an email address.",
  input: z.object({ email: z.email() }),
  output: z.object({ accountId: z.string() }),
  run: async ({ email }) => ({ accountId: `acct_${email.split("@")[0]}` }),
});

export const sendWelcomeEmail = defineAction({
  slug: "send-welcome-email",
  description: "Sends the welcome email to a new account.",
  input: z.object({ email: z.email(), accountId: z.string() }),
  output: z.object({ messageId: z.string() }),
  run: async ({ accountId }) => ({ messageId: `msg_${accountId}` }),
});

export const lookupCompany = defineAction({
  slug: "lookup-company",
  description: "Finds the company behind an email domain.",
  input: z.object({ domain: z.string() }),
  output: z.object({ company: z.string(), employees: z.number() }),
  run: async ({ domain }) => ({ company: domain.split(".")[0]!.toUpperCase(), employees: domain.length * 10 }),
});

export const scoreLead = defineAction({
  slug: "score-lead",
  description: "Scores a lead from its company size.",
  input: z.object({ employees: z.number() }),
  output: z.object({ score: z.number() }),
  run: async ({ employees }) => ({ score: Math.min(100, Math.round(employees / 2)) }),
});

export const flakyInventoryCheck = defineAction({
  slug: "check-inventory",
  description: "An unreliable inventory service: fails twice, then answers.",
  input: z.object({ sku: z.string() }),
  output: z.object({ sku: z.string(), inStock: z.boolean(), attempt: z.number() }),
  retries: { maxAttempts: 5, initialDelay: "1s", backoffFactor: 2 },
  run: async ({ sku }, _credentials, { attempt }) => {
    if (attempt < 3) throw new Error(`inventory service unavailable (attempt ${attempt})`);
    return { sku, inStock: true, attempt };
  },
});

export const chargeCard = defineAction({
  slug: "charge-card",
  description: "Charges a card; declines amounts over 1000.",
  input: z.object({ amount: z.number() }),
  output: z.object({ chargeId: z.string() }),
  run: async ({ amount }) => {
    if (amount > 1000) throw new NonRetryableError(`card declined for amount ${amount}`);
    return { chargeId: `ch_${amount}` };
  },
});

export const reserveStock = defineAction({
  slug: "reserve-stock",
  input: z.object({ sku: z.string() }),
  output: z.object({ reservationId: z.string() }),
  run: async ({ sku }) => ({ reservationId: `res_${sku}` }),
});

export const releaseStock = defineAction({
  slug: "release-stock",
  input: z.object({ reservationId: z.string() }),
  output: z.object({ released: z.boolean() }),
  run: async () => ({ released: true }),
});

export const sendMessage = defineAction({
  slug: "send-message",
  description: "Sends a message (email or chat) and returns its id.",
  input: z.object({ to: z.string(), text: z.string() }),
  output: z.object({ messageId: z.string() }),
  run: async ({ to, text }) => ({ messageId: `msg_${to.length}_${text.length}` }),
});
