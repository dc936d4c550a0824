// What a run asks of a flow-control gate (one Durable Object per workflow, stage and key value) and
// what the gate answers; and how gates and runs are named.
import type { FlowStage } from "../../sdk/engine/flow-spec.ts";
import type { TriggerInfo } from "../../sdk/engine/events.ts";

/** Which gate: the workflow, the stage and the key value ("" for no key). */
export interface GateId {
  workflow: string;
  stage: Exclude<FlowStage, "paused">;
  key: string;
}

export type GateRequest =
  | { op: "acquire"; gate: GateId; runId: string; priority: number; limit: number }
  | { op: "release"; gate: GateId; runId: string }
  | { op: "reserve"; gate: GateId; runId: string; limit: number; periodMs: number; drop: boolean }
  | { op: "debounce"; gate: GateId; runId: string; periodMs: number; maxWaitMs?: number }
  | { op: "claim"; gate: GateId; runId: string; mode: "skip" | "cancel-running" }
  | {
      op: "batch";
      gate: GateId;
      runId: string;
      items: unknown[];
      trigger: TriggerInfo;
      maxSize: number;
      maxWaitMs: number;
      /** The key scope of the batch runs' ids (`keyScope`): each is derived from its batch id. */
      runScope: string;
    }
  | { op: "stats" };

export type GateReply =
  | { verdict: "pass"; canceled?: string; at?: number }
  | { verdict: "wait"; until?: number; position?: number; since: number }
  | { verdict: "skip"; by?: string }
  | { verdict: "batched"; batchId: string; by: string }
  | { verdict: "released"; released: boolean };

/** What a gate holds now (for `GET /workflows/:slug/queues` and tests). */
export interface GateStats {
  gate?: GateId;
  running: number;
  queued: number;
  /** Slots granted and released since the gate was created: released once per grant. */
  granted: number;
  released: number;
}

/** What a gate asks of a run. */
export type RunFlowRequest =
  | { op: "wake"; released?: { position: number; by?: string } }
  | { op: "status" }
  | { op: "skip"; reason: "debounced"; by: string; key?: string };

/** The object name of a gate: distinct from every history name (`global`, `history-<n>`). */
export function gateName(gate: GateId): string {
  return `flow:${gate.workflow}:${gate.stage}:${gate.key}`;
}
