// Polls a (simulated) inbox every five minutes; the cursor only moves once the runs started.
import { z } from "zod";
import { definePollSource } from "cairn-workflows/trigger";
import signupPipeline from "../workflows/signup-pipeline.ts";

/** Stand-in for an API call: one new message every ten minutes. */
function messagesSince(since: number, now: number) {
  const slot = 10 * 60_000;
  const out: { id: string; from: string }[] = [];
  for (let t = Math.ceil((since + 1) / slot) * slot; t <= now; t += slot)
    out.push({ id: `m${t}`, from: `user${(t / slot) % 97}@example.com` });
  return out.slice(-10);
}

export default definePollSource({
  slug: "inbox-poll",
  schedule: "*/5 * * * *",
  state: z.object({ since: z.number() }),
  run: async ({ state, setState }) => {
    const now = Date.now();
    const messages = messagesSince(state?.since ?? now - 10 * 60_000, now);
    setState({ since: now });
    return { messages };
  },
  filter: (result) => result.messages.length > 0,
}).attach({
  workflow: signupPipeline,
  transform: (result: { messages: { from: string }[] }) => ({ email: result.messages[0]!.from }),
});
