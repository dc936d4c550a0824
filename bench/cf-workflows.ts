// The same work as the Cairn bench workflows, written for Cloudflare Workflows, so both engines
// run side by side in one `wrangler dev`. Steps return `Date.now()` where the bench needs a
// server-side time (workerd and Node share the wall clock on the bench machine).
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";

export class CfSteps extends WorkflowEntrypoint<unknown, { steps: number }> {
  override async run(event: Readonly<WorkflowEvent<{ steps: number }>>, step: WorkflowStep) {
    let firstStepAt: number | undefined;
    for (let i = 0; i < event.payload.steps; i++) {
      const { at } = await step.do(`noop-${i}`, async () => ({ i, at: Date.now() }));
      firstStepAt ??= at;
    }
    return { steps: event.payload.steps, firstStepAt };
  }
}

/** With `stamp`, a step before and after the sleep record when it started and when it woke. */
export class CfSleep extends WorkflowEntrypoint<unknown, { ms: number; stamp?: boolean }> {
  override async run(event: Readonly<WorkflowEvent<{ ms: number; stamp?: boolean }>>, step: WorkflowStep) {
    const { ms, stamp } = event.payload;
    const before = stamp ? await step.do("before", async () => Date.now()) : undefined;
    await step.sleep("nap", ms);
    const after = stamp ? await step.do("after", async () => Date.now()) : undefined;
    return { ok: true, before, after };
  }
}

/**
 * The `ready` step tells the bench the instance is about to wait (local status stays `running`);
 * `finishedAt` is when the event let it finish (the engine records `complete` right after).
 */
export class CfEvent extends WorkflowEntrypoint<unknown, Record<string, never>> {
  override async run(_event: Readonly<WorkflowEvent<Record<string, never>>>, step: WorkflowStep) {
    await step.do("ready", async () => true);
    await step.waitForEvent("approval", { type: "approve", timeout: "1 hour" });
    return { ok: true, finishedAt: Date.now() };
  }
}
