// Flow control by example: at most 2 syncs per account run at once; the rest wait as `queued`.
import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import { syncRecord } from "../actions/sync-actions.ts";

export default defineWorkflow({
  slug: "limited-sync",
  name: "Limited sync",
  description: "Syncs one record for an account, at most 2 per account at a time.",
  input: z.object({
    account: z.string().min(1),
    item: z.string().default("record"),
    /** How long the pretend downstream call takes. */
    workMs: z.number().int().min(0).max(5_000).default(50),
  }),
  output: z.object({ key: z.string(), item: z.string(), enteredAt: z.number(), exitedAt: z.number() }),
  concurrency: { limit: 2, key: (input) => input.account },
  run: async ({ account, item, workMs }) => syncRecord.run({ key: account, item, workMs }),
});
