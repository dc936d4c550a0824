// Type tests of the replay gate's public surface: exports from the client, verdicts from replayHistory.
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { createClient } from "cairn-workflows/client";
import { type ReplayVerdict, type RunExport, replayHistory } from "cairn-workflows/testing";
import { defineWorkflow } from "cairn-workflows/workflow";
import type { Divergence, RunEvent } from "../../sdk/engine/events.ts";

const ship = defineWorkflow({
  slug: "ship",
  input: z.object({ orderId: z.string() }),
  output: z.object({ ok: z.boolean() }),
  run: async () => ({ ok: true }),
});

describe("the replay gate's types", () => {
  it("exports a run as its identity and typed events, one or all of them", () => {
    const cairn = createClient({ url: "http://127.0.0.1:8787" });
    expectTypeOf(cairn.runs.export("run_1")).resolves.toEqualTypeOf<RunExport>();
    expectTypeOf(cairn.runs.exportAll({ finished: 5 })).toEqualTypeOf<AsyncGenerator<RunExport>>();
    expectTypeOf<RunExport["events"]>().toEqualTypeOf<RunEvent[]>();
    expectTypeOf<RunExport["run"]["runId"]>().toEqualTypeOf<string>();
    // @ts-expect-error scope is live or all
    cairn.runs.exportAll({ scope: "finished" });
  });

  it("answers a verdict whose failure carries the divergence", async () => {
    const verdict = await replayHistory(ship, {});
    expectTypeOf(verdict).toEqualTypeOf<ReplayVerdict>();
    if (!verdict.ok) expectTypeOf(verdict.reason).toEqualTypeOf<Divergence>();
    // @ts-expect-error the first argument is a workflow definition
    void replayHistory({ slug: "ship" }, {});
  });
});
