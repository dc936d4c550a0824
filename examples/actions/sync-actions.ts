// The action behind the limited-sync example: a stand-in for a call to a rate-sensitive API that
// reports when it entered and left, so concurrency per key can be checked from outside.
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";

/** The longest pretend call, so a typo in `workMs` cannot park a run for minutes. */
const MAX_WORK_MS = 5_000;

export const syncRecord = defineAction({
  slug: "sync-record",
  description: "Pretends to sync one record to a downstream API; returns when it entered and left.",
  input: z.object({ key: z.string(), item: z.string(), workMs: z.number().int().min(0).max(MAX_WORK_MS) }),
  output: z.object({ key: z.string(), item: z.string(), enteredAt: z.number(), exitedAt: z.number() }),
  run: async ({ key, item, workMs }) => {
    const enteredAt = Date.now();
    if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs));
    return { key, item, enteredAt, exitedAt: Date.now() };
  },
});
