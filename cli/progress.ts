// The live step-by-step view of a run (`run --wait`, `runs watch`): each step appears as it
// starts and finishes, with its duration; sleeps show their wake time, hooks their resume URL.
import type { CairnClient, RunRecord } from "../sdk/client.ts";
import type { RunEvent } from "../sdk/engine/events.ts";
import { dim, duration, status } from "./format.ts";

/** Per step: when its first attempt started and its latest attempt number. */
type Started = Map<string, { at: number; attempt: number }>;

function describe(event: RunEvent, run: () => RunRecord | undefined, started: Started): string | undefined {
  switch (event.type) {
    case "run_started":
      return `${dim("▸")} run started (${event.workflow})`;
    case "step_started":
      // The first attempt's start: a step's duration covers every attempt and the backoff between.
      started.set(event.stepId, { at: started.get(event.stepId)?.at ?? event.at, attempt: event.attempt });
      return `${dim("…")} ${event.stepId} ${dim(event.attempt > 1 ? `attempt ${event.attempt}` : "started")}`;
    case "step_completed": {
      const from = started.get(event.stepId);
      const attempts = from && from.attempt > 1 ? `, ${from.attempt} attempts` : "";
      return `${status("completed")} ${event.stepId}${from ? dim(` ${duration(event.at - from.at)}${attempts}`) : ""}`;
    }
    case "step_retrying":
      return `${status("retrying")} ${event.stepId} attempt ${event.attempt}: ${event.error.message} ${dim(`(next at ${new Date(event.retryAt).toISOString()})`)}`;
    case "step_failed":
      return `${status("failed")} ${event.stepId}: ${event.error.name}: ${event.error.message}`;
    case "sleep_started":
      return `${status("sleeping")} ${event.stepId} until ${new Date(event.wakeAt).toISOString()}`;
    case "sleep_completed":
      return `${status("completed")} ${event.stepId} woke up`;
    case "hook_created": {
      const url = run()?.hooks.find((h) => h.id === event.stepId)?.resumeUrl;
      return `${status("waiting")} ${event.stepId} waiting for ${url ?? "its resume URL"}`;
    }
    case "hook_resumed":
      return `${status("completed")} ${event.stepId} resumed`;
    case "hook_timed_out":
      return `${status("failed")} ${event.stepId} timed out`;
    case "run_completed":
      return `${status("success")} run finished`;
    case "run_failed":
      return `${status("failed")} run failed: ${event.error.name}: ${event.error.message}`;
    case "run_canceled":
      return `${status("canceled")} run canceled`;
    default:
      return undefined;
  }
}

/** Streams the run's events as human lines until it finishes; returns the final record. */
export async function followRun(client: CairnClient, runId: string, print: (line: string) => void): Promise<RunRecord> {
  const started: Started = new Map();
  let latest: RunRecord | undefined;
  for await (const event of client.runs.watch(runId, { intervalMs: 200 })) {
    if (event.type === "hook_created") latest = await client.runs.get(runId);
    const line = describe(event, () => latest, started);
    if (line) print(line);
  }
  return client.runs.get(runId);
}
