// Per-step time at the start, middle and end of a long run: is the 100,000th step as cheap as
// the first? Cairn's from its event timestamps, Cloudflare's from timestamps its steps return.
import type { BenchClient } from "../lib/client.ts";
import { round } from "../lib/stats.ts";

export interface StepProfile {
  /** Steps per window. */
  window: number;
  /** Mean ms per step over the first, middle and last `window` steps. */
  startMs: number;
  middleMs: number;
  endMs: number;
}

/** Window of 1,000 steps, or a tenth of a shorter run. */
export const profileWindow = (steps: number) => Math.max(1, Math.min(1_000, Math.floor(steps / 10)));

function windowStarts(steps: number, window: number): [number, number, number] {
  return [0, Math.floor((steps - window) / 2), steps - window];
}

/** From `at[i]`, the time step i ran: window mean = (at[last] − at[first − 1]) / steps. */
export function timestampProfile(at: number[], window = profileWindow(at.length)): StepProfile {
  const mean = (start: number) => {
    const before = at[Math.max(0, start - 1)]!;
    const span = start === 0 ? window - 1 : window;
    return round((at[start + window - 1]! - before) / Math.max(1, span), 4);
  };
  const [start, middle, end] = windowStarts(at.length, window).map(mean) as [number, number, number];
  return { window, startMs: start, middleMs: middle, endMs: end };
}

interface Event {
  type: string;
  at: number;
  stepId?: string;
}

/** The events of steps [from, from + count) of a run whose steps are `<name>#<i>`, two events each. */
async function stepEvents(client: BenchClient, runId: string, from: number, count: number): Promise<Event[]> {
  const events: Event[] = [];
  // Each step appends step_started and step_completed after the run's first event.
  let after = Math.max(0, 2 * from);
  const until = 2 * (from + count) + 2;
  while (after < until) {
    const page = await client.json<{ events: Event[]; next?: number }>(
      `/runs/${runId}/events?after=${after}&limit=${Math.min(1_000, until - after)}`,
    );
    events.push(...page.events);
    if (page.next === undefined) break;
    after = page.next;
  }
  return events;
}

/** Mean ms per step over windows of a finished Cairn run, from `step_started`/`step_completed` times. */
export async function eventProfile(client: BenchClient, runId: string, steps: number): Promise<StepProfile> {
  const window = profileWindow(steps);
  const index = (e: Event) => Number(e.stepId?.split("#").at(-1));
  const mean = async (start: number) => {
    const events = await stepEvents(client, runId, start, window);
    const first = events.find((e) => e.type === "step_started" && index(e) === start);
    const last = events.find((e) => e.type === "step_completed" && index(e) === start + window - 1);
    if (!first || !last) throw new Error(`run ${runId}: no events for steps ${start}…${start + window - 1}`);
    return round((last.at - first.at) / window, 4);
  };
  const [start, middle, end] = windowStarts(steps, window);
  return { window, startMs: await mean(start), middleMs: await mean(middle), endMs: await mean(end) };
}
