// Pure checks behind the webhook security rules (issue 18): a signed delivery is named by what
// its signature covers, sources without auth are refused off loopback and warned about, the
// examples carry auth, and a transform's bad output is found before anything starts.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineWebhookSource } from "cairn-workflows/trigger";
import { defineWorkflow } from "cairn-workflows/workflow";
import type { TriggerDefinition } from "../../sdk/trigger.ts";
import signupWebhook from "../../examples/triggers/signup-webhook.ts";
import supportInbox from "../../examples/triggers/support-inbox.ts";
import { inputFailures } from "../../src/triggers-engine/attachment-input.ts";
import { deliveryIdOf } from "../../src/triggers-engine/delivery-id.ts";
import { authenticate, hmacHex } from "../../src/triggers-engine/signature.ts";
import {
  isUnauthenticated,
  unauthenticatedRefusal,
  warnUnauthenticatedSources,
} from "../../src/triggers-engine/webhook-guard.ts";
import { matchDelivery } from "../../src/triggers-engine/webhook-match.ts";

const sink = defineWorkflow({
  slug: "sink",
  input: z.object({ email: z.email() }),
  output: z.object({}),
  run: async () => ({}),
});

const webhook = (trigger: TriggerDefinition) => {
  if (trigger.source.kind !== "webhook") throw new Error("not a webhook source");
  return trigger.source;
};

describe("delivery ids", () => {
  const secrets = { SIGNING_KEY: "whsec-unit" };
  const github = { hmac: { secret: "SIGNING_KEY", header: "x-sig", prefix: "sha256=" } };
  const body = '{"action":"opened"}';

  it("names a signed delivery by its signed content, whatever unsigned id header comes with it", async () => {
    const headers = new Headers({ "x-sig": `sha256=${await hmacHex("whsec-unit", body)}` });
    const auth = await authenticate(github, { body, headers, query: new URLSearchParams() }, secrets);
    expect(auth).toEqual({ ok: true, signed: body });
    const first = await deliveryIdOf(auth, "delivery-1");
    expect(first).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(await deliveryIdOf(auth, "delivery-2")).toBe(first);
    expect(await deliveryIdOf(auth, undefined)).toBe(first);
    expect(await deliveryIdOf({ ok: true, signed: `${body} ` }, "delivery-1")).not.toBe(first);
  });

  it("names a timestamped signature by `<timestamp>.<body>`, so a re-signed delivery is a new one", async () => {
    const auth = { hmac: { ...github.hmac, timestampHeader: "x-ts" } };
    const nowMs = Date.parse("2026-05-05T12:00:00Z");
    const signedAt = async (ts: number) => {
      const headers = new Headers({
        "x-sig": `sha256=${await hmacHex("whsec-unit", `${ts}.${body}`)}`,
        "x-ts": `${ts}`,
      });
      return authenticate(auth, { body, headers, query: new URLSearchParams() }, secrets, nowMs);
    };
    const ts = nowMs / 1000;
    const once = await signedAt(ts);
    expect(once).toEqual({ ok: true, signed: `${ts}.${body}` });
    expect(await deliveryIdOf(await signedAt(ts), "x")).toBe(await deliveryIdOf(once, "y"));
    expect(await deliveryIdOf(await signedAt(ts - 1), "x")).not.toBe(await deliveryIdOf(once, "x"));
  });

  it("takes the id header of an unsigned delivery, or a fresh id without one", async () => {
    expect(await deliveryIdOf({ ok: true }, "evt-7")).toBe("evt-7");
    const fresh = [await deliveryIdOf({ ok: true }, undefined), await deliveryIdOf({ ok: true }, "")];
    expect(new Set(fresh).size).toBe(2);
  });
});

describe("sources without auth", () => {
  const open = defineWebhookSource({ slug: "open-hook", endpoint: "open" }).attach({ workflow: sink });
  const declared = defineWebhookSource({ slug: "public-hook", endpoint: "open", public: true }).attach({
    workflow: sink,
  });
  const tokened = defineWebhookSource({
    slug: "tokened-hook",
    endpoint: "open",
    auth: { token: { secret: "T" } },
  }).attach({ workflow: sink });

  it("refuses a source without auth outside local development unless it is marked public", () => {
    expect(unauthenticatedRefusal(webhook(open), false)).toMatchObject({ ok: false, authRequired: true });
    expect(unauthenticatedRefusal(webhook(open), true)).toBeUndefined();
    expect(unauthenticatedRefusal(webhook(declared), false)).toBeUndefined();
    expect(unauthenticatedRefusal(webhook(tokened), false)).toBeUndefined();
  });

  it("answers auth_required when the only sources that could take a delivery ask no credentials", () => {
    const refusal = unauthenticatedRefusal(webhook(open), false)!;
    expect(matchDelivery([{ trigger: open, enabled: true, auth: refusal }], {})).toEqual({
      kind: "auth_required",
      sources: ["open-hook"],
    });
    expect(
      matchDelivery(
        [
          { trigger: open, enabled: true, auth: refusal },
          { trigger: declared, enabled: true, auth: { ok: true } },
        ],
        {},
      ),
    ).toMatchObject({ kind: "matched", triggers: [declared] });
  });

  it("warns once per isolate about each source without auth, saying whether it is refused or public", () => {
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    warnUnauthenticatedSources([open, declared, tokened], warn);
    warnUnauthenticatedSources([open, declared, tokened], warn);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("open-hook");
    expect(warnings[0]).toContain("refused outside local development");
    expect(warnings[1]).toContain("public-hook");
    expect(warnings[1]).toContain("anyone who finds the URL");
  });

  it("ships the example webhooks with auth: the support agent with a refund tool is not open to anyone", () => {
    for (const example of [signupWebhook, supportInbox]) expect(isUnauthenticated(webhook(example))).toBe(false);
  });
});

describe("transform output", () => {
  it("finds every workflow attachment whose input the delivery cannot make, with the schema's issues", () => {
    const trigger = defineWebhookSource({ slug: "signups-hook", endpoint: "signups", public: true }).attach([
      { workflow: sink, transform: (body: { mail?: string }) => ({ email: body.mail }) as { email: string } },
      { workflow: sink, transform: () => ({ email: "ada@example.com" }) },
      {
        workflow: sink,
        transform: () => {
          throw new Error("no field");
        },
      },
    ]);
    const failures = inputFailures(trigger, { mail: "not an email" });
    expect(failures).toEqual([
      { attachment: "signups-hook:sink", message: "input does not match workflow sink", issues: expect.any(Array) },
      { attachment: "signups-hook:sink#3", message: "transform threw: no field", issues: undefined },
    ]);
    expect(inputFailures(trigger, { mail: "ada@example.com" })).toHaveLength(1);
  });
});
