// Two lookups at once with Promise.all; each is still its own durable step.
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import { lookupCompany, scoreLead } from "../actions/greeting-actions.ts";

export default defineWorkflow({
  slug: "enrich-lead",
  name: "Enrich lead",
  description: "Looks up a lead's company and scores it.",
  input: z.object({ email: z.email() }),
  output: z.object({ company: z.string(), score: z.number() }),
  run: async ({ email }) => {
    const domain = email.split("@")[1]!;
    const [work, personal] = await Promise.all([
      lookupCompany.run({ domain }),
      lookupCompany.run({ domain: `mail.${domain}` }),
    ]);
    const { score } = await scoreLead.run({ employees: work.employees + personal.employees });
    return { company: work.company, score };
  },
});
