// Workflows the benchmarks run: N no-op steps, a sleep, a hook, and payload-sized outputs.
import { z } from "zod";
import { defineAction } from "cairn-workflows/action";
import { defineWorkflow } from "cairn-workflows/workflow";

export const noop = defineAction({
  slug: "noop",
  input: z.object({ i: z.number() }),
  output: z.object({ i: z.number() }),
  run: async ({ i }) => ({ i }),
});

export const payload = defineAction({
  slug: "payload",
  input: z.object({ i: z.number(), bytes: z.number() }),
  output: z.object({ data: z.string() }),
  run: async ({ bytes }) => ({ data: "x".repeat(bytes) }),
});

/** `steps` sequential no-op steps. */
export const benchSteps = defineWorkflow({
  slug: "bench-steps",
  input: z.object({ steps: z.number().int().min(0) }),
  output: z.object({ steps: z.number() }),
  run: async ({ steps }) => {
    for (let i = 0; i < steps; i++) await noop.run({ i });
    return { steps };
  },
});

/** `steps` no-op steps, then waits on a hook, then one more step: replay cost after a restart. */
export const benchReplay = defineWorkflow({
  slug: "bench-replay",
  input: z.object({ steps: z.number().int().min(0) }),
  output: z.object({ steps: z.number() }),
  run: async ({ steps }, ctx) => {
    for (let i = 0; i < steps; i++) await noop.run({ i });
    await ctx.hook();
    await noop.run({ i: -1 });
    return { steps };
  },
});

export const benchSleep = defineWorkflow({
  slug: "bench-sleep",
  input: z.object({ ms: z.number() }),
  output: z.object({ ok: z.boolean() }),
  run: async ({ ms }, ctx) => {
    await ctx.sleep(ms);
    return { ok: true };
  },
});

export const benchHook = defineWorkflow({
  slug: "bench-hook",
  input: z.object({}),
  output: z.object({ ok: z.boolean() }),
  run: async (_input, ctx) => {
    await ctx.hook();
    return { ok: true };
  },
});

export const benchPayload = defineWorkflow({
  slug: "bench-payload",
  input: z.object({ steps: z.number(), bytes: z.number() }),
  output: z.object({ steps: z.number() }),
  run: async ({ steps, bytes }) => {
    for (let i = 0; i < steps; i++) await payload.run({ i, bytes });
    return { steps };
  },
});

/** `steps` no-op steps with a sleep of `ms` halfway: the cost model's "10 steps and a day's sleep". */
export const benchStepsSleep = defineWorkflow({
  slug: "bench-steps-sleep",
  input: z.object({ steps: z.number().int().min(0), ms: z.number() }),
  output: z.object({ steps: z.number() }),
  run: async ({ steps, ms }, ctx) => {
    for (let i = 0; i < steps; i++) {
      if (i === Math.floor(steps / 2)) await ctx.sleep(ms);
      await noop.run({ i });
    }
    return { steps };
  },
});

export const slowCall = defineAction({
  slug: "slow-call",
  input: z.object({ url: z.string() }),
  output: z.object({ status: z.number() }),
  run: async ({ url }) => ({ status: (await fetch(url, { method: "POST", body: "{}" })).status }),
});

/** One step that waits on a slow model endpoint (a local server that answers after 30 s). */
export const benchSlowCall = defineWorkflow({
  slug: "bench-slow-call",
  input: z.object({ url: z.string() }),
  output: z.object({ status: z.number() }),
  run: async ({ url }) => slowCall.run({ url }),
});

/** The same call offloaded (decision 0023): it runs in the queue consumer while the run's object idles. */
export const slowCallOffloaded = defineAction({
  slug: "slow-call-offloaded",
  input: z.object({ url: z.string() }),
  output: z.object({ status: z.number() }),
  offload: true,
  run: async ({ url }) => ({ status: (await fetch(url, { method: "POST", body: "{}" })).status }),
});

export const benchSlowCallOffloaded = defineWorkflow({
  slug: "bench-slow-call-offloaded",
  input: z.object({ url: z.string() }),
  output: z.object({ status: z.number() }),
  run: async ({ url }) => slowCallOffloaded.run({ url }),
});

export const benchWorkflows = [
  benchSteps,
  benchReplay,
  benchSleep,
  benchHook,
  benchPayload,
  benchStepsSleep,
  benchSlowCall,
  benchSlowCallOffloaded,
];
