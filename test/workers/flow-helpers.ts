// Shared helpers of the flow-control tests: gate stats, the probe, events of a run.
import { gateName, type GateId, type GateStats } from "../../src/flow/gate-protocol.ts";
import { probe } from "../fixtures/side-effects.ts";
import { request, testEnv } from "./helpers.ts";

export function gate(id: GateId) {
  return testEnv.INDEX.get(testEnv.INDEX.idFromName(gateName(id)));
}

export async function gateStats(id: GateId): Promise<GateStats> {
  return (await gate(id).flowGate({ op: "stats" })) as GateStats;
}

export { probe };

export type FlowEvent = {
  seq: number;
  type: string;
  at: number;
  reason?: string;
  key?: string;
  until?: number;
  by?: string;
};

export async function eventsOf(runId: string): Promise<FlowEvent[]> {
  const response = await request(`/runs/${runId}/events?limit=1000`);
  return ((await response.json()) as { events: FlowEvent[] }).events;
}

/** A unique key per test, so tests sharing the counter object never see each other's counts. */
export function freshKey(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Waits (on the run's own notifications, not by polling) until its log has an event of `type`. */
export async function waitForEvent(runId: string, type: string, timeoutMs = 10_000): Promise<FlowEvent> {
  const { runStub } = await import("./helpers.ts");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await eventsOf(runId);
    const found = events.find((e) => e.type === type);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} has no ${type} event: ${events.map((e) => e.type).join(", ")}`);
    await runStub(runId).waitForEvents(events.length, deadline - Date.now());
  }
}

/**
 * waitForStatus for a run whose object may crash on purpose: a crash breaks the pending call, so
 * it is made again on the object the runtime restarted.
 */
export async function waitThroughCrashes(runId: string, until: string[], attempts = 5) {
  const { waitForStatus } = await import("./helpers.ts");
  for (let i = 1; ; i++) {
    try {
      return await waitForStatus(runId, until, 15_000);
    } catch (error) {
      if (i >= attempts) throw error;
    }
  }
}
