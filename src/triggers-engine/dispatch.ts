// Firing a trigger: each attachment gets its input (transform, then the workflow's schema) and
// starts a run whose id derives from the delivery, so a repeated delivery starts nothing new.
// Subscribable workflows fan out through the queue, one run per enabled subscription.
import { attachmentId, type TriggerDefinition } from "../../sdk/trigger.ts";
import type { Env } from "../env.ts";
import { startRun } from "../run/start-run.ts";
import { inputFor } from "./attachment-input.ts";
import type { Subscription } from "./workflow-object.ts";

export type TriggerType = "webhook" | "cron" | "poll";

export interface FanOutMessage {
  workflow: string;
  input: unknown;
  trigger: { type: TriggerType; source: string; deliveryId: string };
  subscription: { id: string; subscriber: string };
  /** Idempotency key of this subscriber's run. */
  key: string;
  origin?: string;
}

export interface FireResult {
  runIds: string[];
  fannedOut: number;
  /** Attachments that could not start, by attachment id (`<source>:<target>`). */
  failures: { attachment: string; message: string; issues?: unknown }[];
}

export const triggerState = (env: Env) => env.TRIGGERS.get(env.TRIGGERS.idFromName("triggers"));
export const workflowObject = (env: Env, slug: string) => env.WORKFLOWS.get(env.WORKFLOWS.idFromName(slug));

const FAN_OUT_PAGE = 100;

async function fanOut(env: Env, message: Omit<FanOutMessage, "subscription" | "key">, key: string): Promise<number> {
  let after: string | undefined;
  let sent = 0;
  do {
    // (RPC stubs cannot type `unknown` metadata; the shape is the object's own.)
    const page = (await workflowObject(env, message.workflow).list({
      after,
      limit: FAN_OUT_PAGE,
      enabledOnly: true,
    })) as {
      subscriptions: Subscription[];
      next?: string;
    };
    if (page.subscriptions.length) {
      await env.FANOUT.sendBatch(
        page.subscriptions.map((s) => ({
          body: {
            ...message,
            subscription: { id: s.id, subscriber: s.subscriber },
            key: `${key}:${s.id}`,
          } satisfies FanOutMessage,
        })),
      );
      sent += page.subscriptions.length;
    }
    after = page.next;
  } while (after);
  return sent;
}

/** Starts what `trigger` is attached to, for one delivery of `payload`. */
export async function fireTrigger(
  env: Env,
  trigger: TriggerDefinition,
  payload: unknown,
  delivery: { type: TriggerType; deliveryId: string; origin?: string; waitUntil?: (work: Promise<unknown>) => void },
): Promise<FireResult> {
  const result: FireResult = { runIds: [], fannedOut: 0, failures: [] };
  const source = trigger.source.slug;
  for (const [index, attachment] of trigger.attachments.entries()) {
    const id = attachmentId(trigger, index);
    if ("agent" in attachment) {
      const message = typeof attachment.prompt === "function" ? attachment.prompt(payload as never) : attachment.prompt;
      const work = attachment.agent
        .prompt({ message })
        .catch((error: Error) =>
          triggerState(env).recordFailedDelivery(source, `agent ${attachment.agent.slug}: ${error.message}`),
        );
      delivery.waitUntil ? delivery.waitUntil(work) : await work;
      continue;
    }
    const input = inputFor(attachment, payload);
    if (!input.ok) {
      result.failures.push({ attachment: id, message: input.message, issues: input.issues });
      await triggerState(env).recordFailedDelivery(source, input.message, input.issues);
      continue;
    }
    // (source, attachment, delivery) names the run: a repeated delivery finds it instead of starting another.
    const key = `${delivery.type}:${id}:${delivery.deliveryId}`;
    const trig = { type: delivery.type, source, deliveryId: delivery.deliveryId };
    if (attachment.workflow.subscription?.mode === "subscribable") {
      result.fannedOut += await fanOut(
        env,
        { workflow: attachment.workflow.slug, input: input.input, trigger: trig, origin: delivery.origin },
        key,
      );
      continue;
    }
    const started = await startRun(env, attachment.workflow, input.input, {
      trigger: trig,
      idempotencyKey: key,
      origin: delivery.origin,
    });
    if (started.ok) result.runIds.push(started.value.runId);
    else {
      result.failures.push({ attachment: id, message: started.error.message, issues: started.error.details });
      await triggerState(env).recordFailedDelivery(source, started.error.message, started.error.details);
    }
  }
  await triggerState(env).recordFire(
    source,
    result.failures.length ? `${result.failures.length} failed` : `started ${result.runIds.length + result.fannedOut}`,
  );
  return result;
}
