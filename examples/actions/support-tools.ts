// Tools of the `support` agent: deterministic stand-ins for an order system.
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";

export const lookupOrder = defineAction({
  slug: "lookup-order",
  description: "Finds an order by its id and tells its status.",
  input: z.object({ orderId: z.string().describe("The order id, like o-123") }),
  output: z.object({ orderId: z.string(), status: z.enum(["processing", "shipped", "delivered"]), total: z.number() }),
  run: async ({ orderId }) => {
    const n = [...orderId].reduce((sum, c) => sum + c.charCodeAt(0), 0);
    return { orderId, status: (["processing", "shipped", "delivered"] as const)[n % 3]!, total: (n % 200) + 10 };
  },
});

export const refundOrder = defineAction({
  slug: "refund-order",
  description: "Refunds an order in full.",
  input: z.object({ orderId: z.string().describe("The order id to refund"), reason: z.string().describe("Why") }),
  output: z.object({ orderId: z.string(), refunded: z.boolean() }),
  run: async ({ orderId }) => ({ orderId, refunded: true }),
});
