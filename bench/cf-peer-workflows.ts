// Cloudflare Workflows doing the peer work for bench/peer: the same shapes as Cairn's bench
// workflows (replay, payload, fan-out target, sleep), in the same `wrangler dev`.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";

/**
 * N steps, each returning when it ran (the per-step profile of a long run), a `ready` step that
 * says all N are recorded, then a wait for an event: after a restart, the event replays N steps.
 */
export class CfPeerReplay extends WorkflowEntrypoint<unknown, { steps: number }> {
  override async run(event: Readonly<WorkflowEvent<{ steps: number }>>, step: WorkflowStep) {
    const at: number[] = [];
    for (let i = 0; i < event.payload.steps; i++) at.push(await step.do(`noop-${i}`, async () => Date.now()));
    await step.do("ready", async () => true);
    await step.waitForEvent("resume", { type: "resume", timeout: "1 hour" });
    await step.do("after", async () => true); // like Cairn's one step after its hook
    return { steps: event.payload.steps, at };
  }
}

/** N steps each returning a `bytes`-character string, like Cairn's bench-payload. */
export class CfPeerPayload extends WorkflowEntrypoint<unknown, { steps: number; bytes: number }> {
  override async run(event: Readonly<WorkflowEvent<{ steps: number; bytes: number }>>, step: WorkflowStep) {
    const { steps, bytes } = event.payload;
    for (let i = 0; i < steps; i++) await step.do(`payload-${i}`, async () => ({ data: "x".repeat(bytes) }));
    return { steps };
  }
}

/** One step per subscriber, like Cairn's daily-digest (the fan-out target). */
export class CfPeerDigest extends WorkflowEntrypoint<unknown, { subscriber: string }> {
  override async run(event: Readonly<WorkflowEvent<{ subscriber: string }>>, step: WorkflowStep) {
    const sent = await step.do("send-message", async () => ({ to: event.payload.subscriber, messageId: "m" }));
    return { subscriber: sent.to };
  }
}

/** Sleeps `ms`, like Cairn's bench-sleep (runs parked on a timer). */
export class CfPeerSleep extends WorkflowEntrypoint<unknown, { ms: number }> {
  override async run(event: Readonly<WorkflowEvent<{ ms: number }>>, step: WorkflowStep) {
    await step.sleep("nap", event.payload.ms);
    return { ok: true };
  }
}
