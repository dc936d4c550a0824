// Compensation with plain try/catch: when the charge fails for good, release the stock.
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import { chargeCard, releaseStock, reserveStock } from "../actions/greeting-actions.ts";

export default defineWorkflow({
  slug: "place-order",
  name: "Place order",
  description: "Reserves stock and charges the card; releases the stock if the charge fails.",
  input: z.object({ sku: z.string(), amount: z.number().positive() }),
  output: z.object({ status: z.enum(["placed", "compensated"]), detail: z.string() }),
  run: async ({ sku, amount }) => {
    const { reservationId } = await reserveStock.run({ sku });
    try {
      const { chargeId } = await chargeCard.run({ amount });
      return { status: "placed" as const, detail: chargeId };
    } catch (error) {
      await releaseStock.run({ reservationId });
      return { status: "compensated" as const, detail: (error as Error).message };
    }
  },
});
