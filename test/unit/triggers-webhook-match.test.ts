import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineWebhookSource } from "cairn-workflows/trigger";
import { defineWorkflow } from "cairn-workflows/workflow";
import { type Candidate, matchDelivery } from "../../src/triggers-engine/webhook-match.ts";

const sink = defineWorkflow({ slug: "sink", input: z.object({}), output: z.object({}), run: async () => ({}) });
const event = z.object({ type: z.string() });
const paid = defineWebhookSource({
  slug: "paid",
  endpoint: "billing",
  request: event,
  filter: z.object({ type: z.literal("invoice.paid") }),
}).attach({ workflow: sink });
const failed = defineWebhookSource({
  slug: "failed",
  endpoint: "billing",
  request: event,
  filter: z.object({ type: z.literal("invoice.failed") }),
}).attach({ workflow: sink });
const ok = { ok: true } as const;
const refused = { ok: false, reason: "bad signature" } as const;

const slugs = (outcome: ReturnType<typeof matchDelivery>) =>
  outcome.kind === "matched" ? outcome.triggers.map((t) => t.source.slug) : outcome.kind;

describe("matchDelivery", () => {
  const both: Candidate[] = [
    { trigger: paid, enabled: true, auth: ok },
    { trigger: failed, enabled: true, auth: ok },
  ];

  it("routes a shared endpoint's delivery to the sources whose filter it passes", () => {
    expect(slugs(matchDelivery(both, { type: "invoice.paid" }))).toEqual(["paid"]);
    expect(slugs(matchDelivery(both, { type: "invoice.failed" }))).toEqual(["failed"]);
  });

  it("skips a delivery no shared source wants, even one of another shape", () => {
    expect(matchDelivery(both, { type: "customer.created" })).toEqual({ kind: "skipped" });
    expect(matchDelivery(both, { kind: 1 })).toEqual({ kind: "skipped" });
  });

  it("refuses a body of the wrong shape when the endpoint has a single source", () => {
    const outcome = matchDelivery([{ trigger: paid, enabled: true, auth: ok }], { kind: 1 });
    expect(outcome.kind).toBe("malformed");
  });

  it("still skips a well-shaped body the single source filters out", () => {
    expect(matchDelivery([{ trigger: paid, enabled: true, auth: ok }], { type: "x" })).toEqual({ kind: "skipped" });
  });

  it("answers unauthorized only when no source took the delivery and one refused its credentials", () => {
    const oneRefuses: Candidate[] = [
      { trigger: paid, enabled: true, auth: refused },
      { trigger: failed, enabled: true, auth: ok },
    ];
    expect(slugs(matchDelivery(oneRefuses, { type: "invoice.failed" }))).toEqual(["failed"]);
    expect(matchDelivery(oneRefuses, { type: "invoice.paid" })).toEqual({ kind: "unauthorized" });
  });

  it("ignores a disabled source entirely, credentials included", () => {
    const disabled: Candidate[] = [{ trigger: paid, enabled: false, auth: refused }];
    expect(matchDelivery(disabled, { type: "invoice.paid" })).toEqual({ kind: "skipped" });
  });
});
