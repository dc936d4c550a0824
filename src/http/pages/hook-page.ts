// The small page a person sees after clicking a hook link in an email or chat.
import { html } from "hono/html";

export function hookPage(title: string, message: string) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; display: grid; place-items: center; min-height: 90vh; margin: 0; color: #1f2328; background: #f6f8fa; }
      main { background: #fff; border: 1px solid #d0d7de; border-radius: 12px; padding: 2rem 2.5rem; max-width: 28rem; }
      h1 { font-size: 1.25rem; margin: 0 0 .5rem; }
    </style>
  </head>
  <body><main><h1>${title}</h1><p>${message}</p></main></body>
</html>`;
}
