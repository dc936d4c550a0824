// Type tests of step logs and bulk operations: ctx.log on actions and workflow bodies, and the
// typed client's bulk methods.
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { defineAction, type StepLogger } from "cairn-workflows/action";
import { type BulkStarted, type BulkStatus, createClient } from "cairn-workflows/client";
import { defineWorkflow } from "cairn-workflows/workflow";

describe("ctx.log", () => {
  it("is a StepLogger on an action's context and on a workflow's ctx", () => {
    defineAction({
      slug: "typed-log-action",
      input: z.object({}),
      output: z.object({}),
      run: async (_input, _credentials, ctx) => {
        expectTypeOf(ctx.log).toEqualTypeOf<StepLogger>();
        expectTypeOf(ctx.log.info).parameters.toEqualTypeOf<unknown[]>();
        return {};
      },
    });
    defineWorkflow({
      slug: "typed-log-workflow",
      input: z.object({}),
      output: z.object({}),
      run: async (_input, ctx) => {
        expectTypeOf(ctx.log).toEqualTypeOf<StepLogger>();
        // @ts-expect-error: no such level
        ctx.log.trace("x");
        return {};
      },
    });
  });
});

describe("client.runs.bulk", () => {
  it("takes only the three actions and answers the job or the count", () => {
    const cairn = createClient({ url: "http://127.0.0.1:8787" });
    expectTypeOf(
      cairn.runs.bulk({ action: "retry", filter: { status: "failed" } }),
    ).resolves.toEqualTypeOf<BulkStarted>();
    expectTypeOf(cairn.runs.bulkStatus("bulk_1")).resolves.toEqualTypeOf<BulkStatus>();
    // @ts-expect-error: not a bulk action
    cairn.runs.bulk({ action: "delete", filter: {} });
    // @ts-expect-error: not a run status
    cairn.runs.bulk({ action: "cancel", filter: { status: "sleepy" } });
  });
});
