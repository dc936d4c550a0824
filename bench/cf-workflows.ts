// The same work as the Cairn bench workflows, written for Cloudflare Workflows, so both engines
// run side by side in one `wrangler dev`.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";

export class CfSteps extends WorkflowEntrypoint<unknown, { steps: number }> {
  override async run(event: Readonly<WorkflowEvent<{ steps: number }>>, step: WorkflowStep) {
    for (let i = 0; i < event.payload.steps; i++) await step.do(`noop-${i}`, async () => ({ i }));
    return { steps: event.payload.steps };
  }
}

export class CfSleep extends WorkflowEntrypoint<unknown, { ms: number }> {
  override async run(event: Readonly<WorkflowEvent<{ ms: number }>>, step: WorkflowStep) {
    await step.sleep("nap", event.payload.ms);
    return { ok: true };
  }
}

export class CfEvent extends WorkflowEntrypoint<unknown, Record<string, never>> {
  override async run(_event: Readonly<WorkflowEvent<Record<string, never>>>, step: WorkflowStep) {
    await step.waitForEvent("approval", { type: "approve", timeout: "1 hour" });
    return { ok: true };
  }
}
