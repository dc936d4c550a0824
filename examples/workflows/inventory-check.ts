// A flaky action that succeeds on its third attempt: each failure is recorded as
// step_retrying and waits out its backoff on a durable timer.
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import { flakyInventoryCheck } from "../actions/greeting-actions.ts";

export default defineWorkflow({
  slug: "inventory-check",
  name: "Inventory check",
  description: "Asks an unreliable inventory service until it answers.",
  input: z.object({ sku: z.string() }),
  output: z.object({ sku: z.string(), inStock: z.boolean(), attempts: z.number() }),
  run: async ({ sku }) => {
    const { inStock, attempt } = await flakyInventoryCheck.run({ sku });
    return { sku, inStock, attempts: attempt };
  },
});
