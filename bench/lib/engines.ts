// One interface over both engines for the side-by-side benchmark: the same operations, over the
// same HTTP client, so each metric's code is written once. Server-side times (`at`, `wakeAt`,
// the CF steps' `Date.now()`) share the wall clock with the Node client on the bench machine.
import type { BenchClient } from "./client.ts";

export type Engine = "cairn" | "cloudflare";
export const ENGINES: Engine[] = ["cairn", "cloudflare"];

export interface WaitingRun {
  id: string;
  /** Cairn's hook token; unused for Cloudflare (events go to the instance). */
  token?: string;
}

export interface EngineDriver {
  /** Runs `steps` no-op steps to the end; `firstStepAt` reads when its first step started. */
  runSteps(steps: number): Promise<{ firstStepAt: () => Promise<number> }>;
  /** Starts a run that sleeps `ms`; its id. */
  startSleep(ms: number): Promise<string>;
  /** Waits for a sleeping run to end: when it asked to wake and when it woke (server clock). */
  sleepResult(id: string, ms: number): Promise<{ requested: number; woke: number }>;
  /** Starts a run and resolves once it has reached its hook (Cairn) or its `ready` step (CF). */
  startWaiting(): Promise<WaitingRun>;
  /** Resumes a waiting run; once it finished, when it did (server clock). */
  resume(run: WaitingRun): Promise<number>;
}

function post<T>(client: BenchClient, path: string, body: unknown): Promise<T> {
  return client.json<T>(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function cairn(client: BenchClient): EngineDriver {
  const ended = async (runId: string) => {
    const run = await client.get(runId, 120);
    if (run.status !== "success") throw new Error(`cairn run ${runId} ended ${run.status}`);
    return Date.parse(run.finishedAt!);
  };
  const events = async (runId: string) => (await client.events(runId)).events;
  return {
    async runSteps(steps) {
      const run = await client.start("bench-steps", { steps }, 120);
      if (run.status !== "success") throw new Error(`cairn run ended ${run.status}`);
      return {
        firstStepAt: async () => (await events(run.runId)).find((e) => e.type === "step_started")?.at ?? Number.NaN,
      };
    },
    startSleep: async (ms) => (await client.start("bench-sleep", { ms })).runId,
    async sleepResult(runId) {
      await ended(runId);
      const log = await events(runId);
      return {
        requested: log.find((e) => e.type === "sleep_started")?.wakeAt ?? Number.NaN,
        woke: log.find((e) => e.type === "sleep_completed")?.at ?? Number.NaN,
      };
    },
    async startWaiting() {
      const { runId } = await client.start("bench-hook", {});
      const run = await client.until(runId, ["waiting_on_hook"]);
      return { id: runId, token: run.hooks[0]!.token! };
    },
    async resume({ id, token }) {
      await client.resume(token!);
      return ended(id);
    },
  };
}

interface CfStatus<O> {
  status: string;
  output?: O;
}

function cloudflare(client: BenchClient): EngineDriver {
  const ended = async <O>(kind: string, id: string) => {
    const status = await client.json<CfStatus<O>>(`/bench/cf/${kind}/${id}/wait`);
    if (status.status !== "complete") throw new Error(`cloudflare ${kind} ${id} ended ${status.status}`);
    return status.output!;
  };
  return {
    async runSteps(steps) {
      const r = await post<CfStatus<{ firstStepAt: number }>>(client, "/bench/cf/steps?wait", { steps });
      if (r.status !== "complete") throw new Error(`cloudflare run ended ${r.status}`);
      const at = r.output?.firstStepAt ?? Number.NaN;
      return { firstStepAt: async () => at };
    },
    startSleep: async (ms) => (await post<{ id: string }>(client, "/bench/cf/sleep", { ms, stamp: true })).id,
    async sleepResult(id, ms) {
      // A step just before the sleep and one just after it record the times: t1 − t0 − ms.
      const { before, after } = await ended<{ before: number; after: number }>("sleep", id);
      return { requested: before + ms, woke: after };
    },
    async startWaiting() {
      const { id } = await post<{ id: string }>(client, "/bench/cf/event", {});
      await client.json(`/bench/cf/event/${id}/ready`);
      return { id };
    },
    async resume({ id }) {
      await post(client, `/bench/cf/event/${id}/send`, {});
      return (await ended<{ finishedAt: number }>("event", id)).finishedAt;
    },
  };
}

export function drivers(client: BenchClient): Record<Engine, EngineDriver> {
  return { cairn: cairn(client), cloudflare: cloudflare(client) };
}
