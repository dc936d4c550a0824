// A workflow that calls another as a sub-workflow, once per lead; the child's steps are
// recorded under the parent's step id (enrich-lead#0/lookup-company#0).
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import enrichLead from "./enrich-lead.ts";

export default defineWorkflow({
  slug: "qualify-leads",
  name: "Qualify leads",
  description: "Enriches each lead with the enrich-lead sub-workflow and keeps the good ones.",
  input: z.object({ emails: z.array(z.email()).min(1), minScore: z.number().default(50) }),
  output: z.object({ qualified: z.array(z.object({ email: z.string(), company: z.string(), score: z.number() })) }),
  run: async ({ emails, minScore }) => {
    const qualified = [];
    for (const email of emails) {
      const lead = await enrichLead.run({ email });
      if (lead.score >= minScore) qualified.push({ email, ...lead });
    }
    return { qualified };
  },
});
