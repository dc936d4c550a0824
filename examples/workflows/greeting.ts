// The smallest workflow: one action step.
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import { formatGreeting } from "../actions/greeting-actions.ts";

export default defineWorkflow({
  slug: "greeting",
  name: "Greeting",
  description: "Greets someone by name.",
  input: z.object({ name: z.string().min(1) }),
  output: z.object({ message: z.string() }),
  run: async ({ name }) => formatGreeting.run({ name }),
});
