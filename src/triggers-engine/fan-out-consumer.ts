// The queue consumer: one run per fan-out message, with a run id derived from (delivery,
// subscription), so a redelivered message finds its run instead of starting another.
import type { Env } from "../env.ts";
import { registry } from "../run/registry.ts";
import { startRun } from "../run/start-run.ts";
import type { FanOutMessage } from "./dispatch.ts";

export async function consumeFanOut(batch: Pick<MessageBatch<FanOutMessage>, "messages">, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const { workflow: slug, input, trigger, subscription, key, origin } = message.body;
    const workflow = registry.workflows.get(slug);
    if (!workflow) {
      // The workflow was removed by a deploy: nothing can ever start it.
      message.ack();
      continue;
    }
    try {
      const started = await startRun(env, workflow, input, { trigger, idempotencyKey: key, origin, subscription });
      if (started.ok || started.error.code === "invalid_input") message.ack();
      else message.retry();
    } catch {
      message.retry();
    }
  }
}
