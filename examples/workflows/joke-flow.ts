// Two LLM steps: write a joke, then classify it with a schema. A replay never calls the model again.
// The first call is offloaded: it runs in the queue consumer, so the run's Durable Object is not
// held (and billed) while the model thinks (decision 0023).
import { z } from "zod";
import { defineWorkflow, promptLlm } from "cairn-workflows/workflow";

const Rating = z.object({ funny: z.boolean(), audience: z.enum(["kids", "adults", "engineers"]) });

export default defineWorkflow({
  slug: "joke-flow",
  name: "Joke flow",
  description: "Writes a joke about a topic and rates it.",
  input: z.object({ topic: z.string().min(1), model: z.string().default("openai/gpt-4o-mini") }),
  output: z.object({ joke: z.string(), rating: Rating }),
  run: async ({ topic, model }) => {
    const joke = await promptLlm(`Write a one-line joke about ${topic}.`, { model, offload: true });
    const rating = await promptLlm(`Rate this joke: ${joke}`, { model, outputSchema: Rating });
    return { joke, rating };
  },
});
