// Bench-only routes that drive Cloudflare Workflows instances: start (optionally waiting for the
// end inside the Worker, so the client sees one request like Cairn's ?wait), status, wait, ready
// (the instance recorded its `ready` step) and send (an event).
const FINISHED = new Set(["complete", "errored", "terminated"]);

export interface CfEnv {
  CF_STEPS: Workflow;
  CF_SLEEP: Workflow;
  CF_EVENT: Workflow;
}

/** What miniflare's local Workflows binding adds for tests: waits woken by the engine itself. */
export interface LocalIntrospection {
  unsafeWaitForStatus(instanceId: string, status: string): Promise<void>;
  unsafeWaitForStepResult(instanceId: string, name: string, index?: number): Promise<unknown>;
}

const bindings = { steps: "CF_STEPS", sleep: "CF_SLEEP", event: "CF_EVENT" } as const;
const WAIT_MS = 120_000; // as Cairn's longest ?wait

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The instance's status once finished. Locally the engine wakes the wait itself, so no polling
 * load competes with the runs under test (as Cairn's ?wait); elsewhere it polls every 5 ms.
 */
async function waitForEnd(workflow: Workflow, instance: WorkflowInstance) {
  const local = workflow as unknown as Partial<LocalIntrospection>;
  let woken = false;
  // Also settles when the instance can no longer complete (errored, terminated): the status says which.
  const wake = () => {
    woken = true;
  };
  const ended = local.unsafeWaitForStatus?.(instance.id, "complete").then(wake, wake);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const status = await instance.status();
    if (FINISHED.has(status.status) || Date.now() > deadline) return status;
    await (ended && !woken ? Promise.race([ended, sleep(1_000)]) : sleep(5));
  }
}

/** Resolves once the instance recorded the step `name`. */
async function waitForStep(workflow: Workflow, instance: WorkflowInstance, name: string) {
  const local = workflow as unknown as Partial<LocalIntrospection>;
  if (local.unsafeWaitForStepResult) return void (await local.unsafeWaitForStepResult(instance.id, name, 1));
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const status = (await instance.status()) as { __LOCAL_DEV_STEP_OUTPUTS?: unknown[] };
    if ((status.__LOCAL_DEV_STEP_OUTPUTS?.length ?? 0) > 0) return;
    await sleep(5);
  }
}

export async function cfRoute(request: Request, env: CfEnv): Promise<Response | undefined> {
  const url = new URL(request.url);
  const match = /^\/bench\/cf\/(steps|sleep|event)(?:\/([^/]+))?(?:\/(status|send|wait|ready))?$/.exec(url.pathname);
  if (!match) return undefined;
  const workflow = env[bindings[match[1] as keyof typeof bindings]];
  const [, , id, action] = match;
  if (!id && request.method === "POST") {
    const instance = await workflow.create({ params: await request.json() });
    if (url.searchParams.has("wait"))
      return Response.json({ id: instance.id, ...(await waitForEnd(workflow, instance)) });
    return Response.json({ id: instance.id });
  }
  const instance = await workflow.get(id!);
  if (action === "send") {
    await instance.sendEvent({ type: "approve", payload: {} });
    return Response.json({ ok: true });
  }
  if (action === "wait") return Response.json(await waitForEnd(workflow, instance));
  if (action === "ready") {
    await waitForStep(workflow, instance, "ready");
    return Response.json({ ok: true });
  }
  return Response.json(await instance.status());
}
