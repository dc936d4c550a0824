// The Worker's per-minute cron: fires the cron sources due this minute, ticks the polls, and
// every ten minutes sweeps for stalled runs. A duplicated event starts nothing new: run ids
// derive from (source, minute).
import type { TriggerDefinition } from "../../sdk/trigger.ts";
import type { Env } from "../env.ts";
import { originWithoutRequest } from "../public-origin.ts";
import { pokeBlockedRuns, sweepStalledRuns } from "../history/sweep.ts";
import { fireTrigger, triggerState } from "./dispatch.ts";
import { isDue, minuteOf } from "./schedule.ts";
import { triggers } from "./trigger-registry.ts";

/** One poll tick: fetch, filter, start, and only then move the cursor (at least once). */
export async function tickPoll(
  env: Env,
  trigger: TriggerDefinition,
  deliveryId: string,
  waitUntil?: (work: Promise<unknown>) => void,
) {
  const source = trigger.source;
  if (source.kind !== "poll") throw new Error(`${source.slug} is not a poll source`);
  const state = triggerState(env);
  const stored = await state.pollState(source.slug);
  const current = source.state && stored != null ? source.state.parse(stored) : (stored ?? undefined);
  let next = current;
  const payload = await source.run({
    state: current as never,
    setState: (value: unknown) => {
      next = value;
    },
  });
  if (source.filter && !source.filter(payload)) {
    if (next !== undefined) await state.setPollState(source.slug, next);
    await state.recordFire(source.slug, "filtered");
    return { skipped: true as const };
  }
  const origin = originWithoutRequest(env);
  const result = await fireTrigger(env, trigger, payload, { type: "poll", deliveryId, origin, waitUntil });
  if (result.failures.length === 0 && next !== undefined) await state.setPollState(source.slug, next);
  return { skipped: false as const, ...result };
}

export async function handleScheduled(
  env: Env,
  scheduledTime: number,
  waitUntil?: (work: Promise<unknown>) => void,
): Promise<void> {
  const minute = minuteOf(scheduledTime);
  const due = [...triggers.values()].filter(
    (t) =>
      (t.source.kind === "cron" || t.source.kind === "poll") && isDue(t.source.schedule, t.source.timezone, minute),
  );
  const states = new Map(
    (await triggerState(env).states(due.map((t) => t.source.slug))).map((s) => [s.slug, s.enabled]),
  );
  for (const trigger of due) {
    if (!states.get(trigger.source.slug)) continue;
    const deliveryId = new Date(minute).toISOString();
    try {
      // No request to read an origin from: PUBLIC_URL, or where local development was reached.
      const origin = originWithoutRequest(env);
      if (trigger.source.kind === "cron")
        await fireTrigger(env, trigger, trigger.source.payload ?? {}, { type: "cron", deliveryId, origin, waitUntil });
      else await tickPoll(env, trigger, deliveryId, waitUntil);
    } catch (error) {
      await triggerState(env).recordFailedDelivery(trigger.source.slug, (error as Error).message);
    }
  }
  if (minute % (10 * 60_000) === 0) await sweepStalledRuns(env, scheduledTime);
  // Blocked runs retry their replay (decision 0018); a failure here must not fail the cron.
  await pokeBlockedRuns(env, scheduledTime).catch(() => undefined);
}
