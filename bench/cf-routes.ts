// Bench-only routes that drive Cloudflare Workflows instances: start (optionally waiting for the
// end, polled inside the Worker so the client sees one request, like Cairn's ?wait), status, event.
const FINISHED = new Set(["complete", "errored", "terminated"]);

export interface CfEnv {
  CF_STEPS: Workflow;
  CF_SLEEP: Workflow;
  CF_EVENT: Workflow;
}

const bindings = { steps: "CF_STEPS", sleep: "CF_SLEEP", event: "CF_EVENT" } as const;

async function waitForEnd(instance: WorkflowInstance, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await instance.status();
    if (FINISHED.has(status.status) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function cfRoute(request: Request, env: CfEnv): Promise<Response | undefined> {
  const url = new URL(request.url);
  const match = /^\/bench\/cf\/(steps|sleep|event)(?:\/([^/]+))?(?:\/(status|send|wait))?$/.exec(url.pathname);
  if (!match) return undefined;
  const workflow = env[bindings[match[1] as keyof typeof bindings]];
  const [, , id, action] = match;
  if (!id && request.method === "POST") {
    const instance = await workflow.create({ params: await request.json() });
    if (url.searchParams.has("wait"))
      return Response.json({ id: instance.id, ...(await waitForEnd(instance, 120_000)) });
    return Response.json({ id: instance.id });
  }
  const instance = await workflow.get(id!);
  if (action === "send") {
    await instance.sendEvent({ type: "approve", payload: {} });
    return Response.json({ ok: true });
  }
  if (action === "wait") return Response.json(await waitForEnd(instance, 120_000));
  return Response.json(await instance.status());
}
