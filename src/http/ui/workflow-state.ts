// A workflow's flow state for its page: whether it is paused, as `GET /workflows/:slug` reports it
// (`paused`, with when and why), and its queues per key (`GET /workflows/:slug/queues`).
import { callApi } from "./api-call.ts";
import type { UiContext } from "./security.ts";

export interface PauseState {
  paused: boolean;
  pausedAt?: string;
  reason?: string;
}

export async function workflowPaused(c: UiContext, slug: string): Promise<PauseState> {
  const { body } = await callApi(c, "GET", `/workflows/${encodeURIComponent(slug)}`);
  const paused = body.paused;
  if (paused && typeof paused === "object") return { paused: true, ...(paused as Omit<PauseState, "paused">) };
  return {
    paused: paused === true,
    ...(typeof body.pausedAt === "string" ? { pausedAt: body.pausedAt } : {}),
    ...(typeof body.pauseReason === "string" ? { reason: body.pauseReason } : {}),
  };
}

/** One key's runs executing and waiting, as `GET /workflows/:slug/queues` lists them. */
export interface KeyQueue {
  key: string;
  running: number;
  queued: number;
  updatedAt?: string | number;
}

export async function workflowQueues(c: UiContext, slug: string): Promise<KeyQueue[]> {
  const { status, body } = await callApi(c, "GET", `/workflows/${encodeURIComponent(slug)}/queues`);
  return status === 200 && Array.isArray(body.queues) ? (body.queues as KeyQueue[]) : [];
}
