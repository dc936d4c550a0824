// Firing a trigger: each attachment gets its input (transform, then the workflow's schema) and
// starts a run whose id derives from the delivery, so a repeated delivery starts nothing new.
// Subscribable workflows fan out through the queue, one run per enabled subscription.
import { attachmentId } from "../../sdk/attachment-id.ts";
import type { TriggerDefinition } from "../../sdk/trigger.ts";
import { sessionObject } from "../agents-runtime/session-object.ts";
import type { Env } from "../env.ts";
import type { Result } from "../run/result.ts";
import { startRun } from "../run/start-run.ts";
import { inputFor } from "./attachment-input.ts";
import { driveFanOut, type FanOutJob, type FanOutPort, type FanOutTemplate } from "./fan-out-job.ts";

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

/**
 * Fans one delivery out to the workflow's subscribers. The WorkflowObject records the job before
 * the first page is sent, so a fan-out cut off between pages is finished by its alarm (decision 0010).
 */
async function fanOut(env: Env, message: FanOutTemplate, key: string): Promise<number> {
  const object = workflowObject(env, message.workflow);
  // (RPC stubs cannot type `unknown` members; the shapes are the object's own.)
  const job = (await object.beginFanOut(key, message)) as FanOutJob;
  return driveFanOut(object as unknown as FanOutPort, env.FANOUT, job);
}

/**
 * Prompts an attached agent once per delivery: the session and the turn are named by the
 * delivery's key, and the session answers a key it has seen with the turn it recorded.
 */
async function promptAgent(env: Env, agent: string, message: string, key: string): Promise<void> {
  const session = sessionObject(env, key);
  // (RPC stubs cannot type `unknown` members; the shape is the object's own.)
  const result = (await session.prompt({ agent, sessionId: key, message, turnKey: key })) as Result<unknown>;
  if (!result.ok) throw new Error(result.error.message);
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
    // (source, attachment, delivery) names the run or the agent's turn: a repeated delivery
    // finds it instead of starting another.
    const key = `${delivery.type}:${id}:${delivery.deliveryId}`;
    if ("agent" in attachment) {
      const message = typeof attachment.prompt === "function" ? attachment.prompt(payload as never) : attachment.prompt;
      const work = promptAgent(env, attachment.agent.slug, message, key).catch((error: Error) =>
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
