// `cairn-workflows/integrations/email`: send an email, text and/or HTML, through Resend's HTTP
// API as a durable step.
import { z } from "zod";
import { defineAction } from "../action.ts";
import { defineCredential } from "../credentials.ts";
import { fetchProvider, joinUrl, resolveBaseUrl } from "./shared.ts";

const DEFAULT_RESEND_API_URL = "https://api.resend.com";

/**
 * The email credential: a Resend API key (`re_…`), per subscription or from the Worker secret
 * `EMAIL_API_KEY`; an optional `baseUrl` (else `RESEND_API_URL`) points the calls elsewhere.
 * @example
 * // a subscription's credentials: { "email": { "apiKey": "re_…" } }
 */
export const emailCredential = defineCredential({
  key: "email",
  fields: z.object({ apiKey: z.string().min(1), baseUrl: z.string().url().optional() }),
});

const Addresses = z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]);

/**
 * Sends one email (Resend `POST /emails`) and returns its id. Give `text`, `html` or both. An
 * `idempotencyKey` makes a retried attempt that had reached Resend send nothing twice.
 * @example
 * await sendEmail.run({
 *   from: "Acme <ops@acme.dev>",
 *   to: "ada@example.com",
 *   subject: "Your export is ready",
 *   text: "Download it here: …",
 *   idempotencyKey: `export-ready/${exportId}`,
 * });
 */
export const sendEmail = defineAction({
  slug: "email-send",
  name: "Email: send",
  input: z
    .object({
      from: z.string().min(3),
      to: Addresses,
      subject: z.string(),
      text: z.string().optional(),
      html: z.string().optional(),
      cc: Addresses.optional(),
      bcc: Addresses.optional(),
      reply_to: Addresses.optional(),
      idempotencyKey: z.string().min(1).max(256).optional(),
    })
    .refine((input) => input.text !== undefined || input.html !== undefined, "give text, html or both"),
  output: z.object({ id: z.string() }),
  credentials: [emailCredential],
  run: async ({ idempotencyKey, ...email }, credentials, { signal }) => {
    const { apiKey, baseUrl } = credentials.email;
    const response = await fetchProvider({
      provider: "resend",
      operation: "POST /emails",
      url: joinUrl(resolveBaseUrl(baseUrl, "RESEND_API_URL", DEFAULT_RESEND_API_URL), "/emails"),
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
      },
      json: email,
      signal,
      secrets: [apiKey],
      describeError: (body) => {
        const failure = body as { name?: string; message?: string } | null;
        return failure?.message ? `${failure.name ?? "error"}: ${failure.message}` : undefined;
      },
    });
    const { id } = (await response.json()) as { id: string };
    return { id };
  },
});
