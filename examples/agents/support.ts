// A customer-support agent with two order tools.
import { defineAgent } from "cairn-workflows/agent";
import { lookupOrder, refundOrder } from "../actions/support-tools.ts";

export default defineAgent({
  slug: "support",
  name: "Support",
  description: "Answers questions about orders and refunds them when asked.",
  systemPrompt: "You are a concise support agent. Look orders up before answering; refund only when the customer asks.",
  model: "openai/gpt-4o-mini",
  tools: [lookupOrder, refundOrder],
});
