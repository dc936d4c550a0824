// The small pages a person sees after clicking a hook link in an email or chat: the confirmation
// (what will be recorded, and the one button that records it) and the outcome.
import type { Context } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

function layout(nonce: string, title: string, body: Page) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="robots" content="noindex" />
    <title>${title}</title>
    <style nonce="${nonce}">
      body { font: 16px/1.5 system-ui, sans-serif; display: grid; place-items: center; min-height: 90vh; margin: 0; color: #1f2328; background: #f6f8fa; }
      main { background: #fff; border: 1px solid #d0d7de; border-radius: 12px; padding: 2rem 2.5rem; max-width: 28rem; }
      h1 { font-size: 1.25rem; margin: 0 0 .5rem; }
      dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; }
      dt { font-weight: 600; } dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
      button { font: inherit; padding: .5rem 1.25rem; border-radius: 6px; border: 1px solid #1f883d; background: #1f883d; color: #fff; cursor: pointer; }
    </style>
  </head>
  <body><main><h1>${title}</h1>${body}</main></body>
</html>`;
}

/** An outcome page: "Thanks, recorded", or why the link cannot be used. */
export function hookPage(nonce: string, title: string, message: string) {
  return layout(nonce, title, html`<p>${message}</p>`);
}

/**
 * The confirmation a GET of a hook link answers: the values as the resume will record them, and a
 * form that POSTs the link's own query fields back to the link (no `action`: the page's own URL).
 * Nothing submits it but a click: a link scanner or chat unfurler that opens the link records nothing.
 */
export function hookConfirmPage(nonce: string, recorded: unknown, fields: readonly (readonly [string, string])[]) {
  const entries =
    recorded !== null && typeof recorded === "object" && !Array.isArray(recorded)
      ? Object.entries(recorded)
      : [["value", recorded] as const];
  const body = html`<p>Opening this link records the response below once you confirm it.</p>
    <dl>${entries.map(([key, value]) => html`<dt>${key}</dt><dd>${JSON.stringify(value) ?? "undefined"}</dd>`)}</dl>
    <form method="post">
      ${fields.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
      <button type="submit">Confirm and record</button>
    </form>`;
  return layout(nonce, "Confirm your response", body);
}

/**
 * Headers every hook page carries: a nonce CSP that allows no scripts and no requests but the
 * form's POST to this origin, no framing, no caching, and no Referer (the link holds the token).
 */
export function hookPageHeaders(c: Context): string {
  const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
  return nonce;
}
