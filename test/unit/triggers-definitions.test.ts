import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCronSource, definePollSource, defineWebhookSource } from "cairn-workflows/trigger";
import { attachmentId } from "../../sdk/attachment-id.ts";
import { defineWorkflow } from "cairn-workflows/workflow";
import { inputFor } from "../../src/triggers-engine/attachment-input.ts";

const notify = defineWorkflow({
  slug: "notify",
  input: z.object({ email: z.email(), plan: z.string().default("free") }),
  output: z.object({}),
  run: async () => ({}),
});
const audit = defineWorkflow({ slug: "audit", input: z.object({}), output: z.object({}), run: async () => ({}) });
const signups = defineWebhookSource({ slug: "signups", endpoint: "signups", payload: z.object({ email: z.string() }) });

describe("defining sources", () => {
  it("accepts `payload` as an alias of `request`", () => {
    expect(signups.definition).toMatchObject({ kind: "webhook", endpoint: "signups" });
    expect(signups.definition.kind === "webhook" && signups.definition.request).toBeDefined();
  });

  it("collects chained and array attachments in order, leaving the source reusable", () => {
    const chained = signups.attach({ workflow: notify }).attach([{ workflow: audit }, { workflow: notify }]);
    expect(chained.attachments.map((a) => ("workflow" in a ? a.workflow.slug : ""))).toEqual([
      "notify",
      "audit",
      "notify",
    ]);
    expect(signups.attach({ workflow: audit }).attachments).toHaveLength(1);
  });

  it("names attachments `<source>:<target>`, numbering a target attached twice", () => {
    const trigger = signups.attach([{ workflow: notify }, { workflow: audit }, { workflow: notify }]);
    expect([0, 1, 2].map((i) => attachmentId(trigger, i))).toEqual([
      "signups:notify",
      "signups:audit",
      "signups:notify#2",
    ]);
  });

  it("refuses a bad slug, endpoint, schedule or time zone when the trigger file loads", () => {
    expect(() => defineCronSource({ slug: "Nightly", schedule: "@daily" })).toThrow(/slug/);
    expect(() => defineWebhookSource({ slug: "x", endpoint: "/Upper" })).toThrow(/endpoint/);
    expect(() => defineCronSource({ slug: "x", schedule: "every day" })).toThrow(/five fields/);
    expect(() => defineCronSource({ slug: "x", schedule: "0 0 9 * * *" })).toThrow(/five fields/);
    expect(() => defineCronSource({ slug: "x", schedule: "61 * * * *" })).toThrow(/schedule/);
    expect(() => defineCronSource({ slug: "x", schedule: "@daily", timezone: "Mars/Olympus" })).toThrow(/Mars/);
    expect(() =>
      definePollSource({ slug: "x", schedule: "*/5 * * * *", timezone: "Europe/Paris", run: async () => ({}) }),
    ).not.toThrow();
  });
});

describe("attachment input", () => {
  it("passes the payload straight in without a transform, dropping fields the workflow does not declare", () => {
    expect(inputFor({ workflow: notify }, { email: "a@b.co", extra: true })).toEqual({
      ok: true,
      input: { email: "a@b.co", plan: "free" },
    });
  });

  it("applies the attachment's transform before the workflow's schema", () => {
    const result = inputFor(
      { workflow: notify, transform: (body: { user: { mail: string } }) => ({ email: body.user.mail, plan: "pro" }) },
      { user: { mail: "c@d.co" } },
    );
    expect(result).toEqual({ ok: true, input: { email: "c@d.co", plan: "pro" } });
  });

  it("reports a throwing transform or an input the workflow refuses, without throwing", () => {
    const throwing = inputFor(
      {
        workflow: notify,
        transform: () => {
          throw new Error("no user");
        },
      },
      {},
    );
    expect(throwing).toEqual({ ok: false, message: "transform threw: no user" });
    const refused = inputFor({ workflow: notify }, { email: "not-an-email" });
    expect(refused).toMatchObject({ ok: false, message: "input does not match workflow notify" });
    expect(refused.ok === false && refused.issues).toBeTruthy();
  });

  it("gives a workflow an empty object when the payload is missing", () => {
    expect(inputFor({ workflow: audit }, undefined)).toEqual({ ok: true, input: {} });
  });
});
