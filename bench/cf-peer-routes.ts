// Bench-only routes for the peer measurements (bench/peer): create Cloudflare Workflows instances
// in batches, wait for a step or for the end, send events, count statuses. Waits use the local
// binding's introspection (the engine wakes the waiter) instead of polling status(), which
// locally reads the instance's whole log on every call and would load the runs under test.
import type { LocalIntrospection } from "./cf-routes.ts";

export interface CfPeerEnv {
  CF_PEER_REPLAY: Workflow;
  CF_PEER_PAYLOAD: Workflow;
  CF_PEER_DIGEST: Workflow;
  CF_PEER_SLEEP: Workflow;
}

const bindings = {
  replay: "CF_PEER_REPLAY",
  payload: "CF_PEER_PAYLOAD",
  digest: "CF_PEER_DIGEST",
  sleep: "CF_PEER_SLEEP",
} as const;
const BATCH = 100; // createBatch's documented limit per call
const FINISHED = new Set(["complete", "errored", "terminated"]);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function create(workflow: Workflow, params: unknown[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < params.length; i += BATCH) {
    const created = await workflow.createBatch(params.slice(i, i + BATCH).map((p) => ({ params: p })));
    ids.push(...created.map((instance) => instance.id));
  }
  return ids;
}

/** Resolves when the instance finished (complete, or a status that rules it out). */
async function finished(workflow: Workflow, id: string): Promise<void> {
  const local = workflow as unknown as Partial<LocalIntrospection>;
  if (local.unsafeWaitForStatus) return local.unsafeWaitForStatus(id, "complete").catch(() => undefined);
  const instance = await workflow.get(id);
  while (!FINISHED.has((await instance.status()).status)) await sleep(50);
}

/** Resolves when the instance recorded step `name`. */
async function stepDone(workflow: Workflow, id: string, name: string): Promise<void> {
  const local = workflow as unknown as Partial<LocalIntrospection>;
  if (local.unsafeWaitForStepResult) return void (await local.unsafeWaitForStepResult(id, name, 1));
  const instance = await workflow.get(id);
  // Elsewhere: the step's output shows up in the status (all outputs so far, locally).
  while (!((await instance.status()) as { __LOCAL_DEV_STEP_OUTPUTS?: unknown[] }).__LOCAL_DEV_STEP_OUTPUTS?.length)
    await sleep(50);
}

async function statuses(workflow: Workflow, ids: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const id of ids) {
    const { status } = await (await workflow.get(id)).status();
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

interface Body {
  params?: unknown[];
  ids?: string[];
  step?: string;
  type?: string;
}

export async function cfPeerRoute(request: Request, env: CfPeerEnv): Promise<Response | undefined> {
  const url = new URL(request.url);
  const match = /^\/bench\/cf-peer\/(replay|payload|digest|sleep)\/(create|ready|send|wait|status|output)$/.exec(
    url.pathname,
  );
  if (!match || request.method !== "POST") return undefined;
  const workflow = env[bindings[match[1] as keyof typeof bindings]];
  const body = (await request.json()) as Body;
  const ids = body.ids ?? [];
  const t0 = Date.now(); // advances across the I/O below, so it times the awaits
  switch (match[2]) {
    case "create": {
      const created = await create(workflow, body.params ?? []);
      // ?wait: the whole fan-out in one request, as Cairn's trigger invocation is one request.
      if (url.searchParams.has("wait")) await Promise.all(created.map((id) => finished(workflow, id)));
      return Response.json({ ids: created, ms: Date.now() - t0 });
    }
    case "ready":
      await Promise.all(ids.map((id) => stepDone(workflow, id, body.step ?? "ready")));
      return Response.json({ ms: Date.now() - t0 });
    case "send": {
      // get() is part of the resume path (locally it also reads the instance's whole log), so it
      // is timed separately from the event → complete that follows.
      let getMs = 0;
      for (const id of ids) {
        const g0 = Date.now();
        const instance = await workflow.get(id);
        getMs += Date.now() - g0;
        await instance.sendEvent({ type: body.type ?? "resume", payload: {} });
        if (url.searchParams.has("wait")) await finished(workflow, id);
      }
      return Response.json({ ms: Date.now() - t0, getMs });
    }
    case "wait":
      await Promise.all(ids.map((id) => finished(workflow, id)));
      return Response.json({ ms: Date.now() - t0, statuses: await statuses(workflow, ids) });
    case "status":
      return Response.json({ statuses: await statuses(workflow, ids) });
    default: {
      const status = await (await workflow.get(ids[0]!)).status();
      return Response.json({ status: status.status, output: status.output, error: status.error });
    }
  }
}
