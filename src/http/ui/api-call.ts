// The dashboard's operations call the JSON API itself (the same validation, codes and audit
// records as `curl` or the CLI), in-process: a request to Cairn's own app, authorised with the
// Worker's key because the dashboard session and the form's CSRF token were checked already.
import { basePathOf } from "../base-path.ts";
import type { UiContext } from "./security.ts";

type App = {
  request: (
    input: string,
    init: RequestInit,
    env: unknown,
    ctx?: UiContext["executionCtx"],
  ) => Response | Promise<Response>;
};
const apps = new Map<string, App>();

/** The API's answer: its status and JSON body (`{ error: { code, message } }` on failure). */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
}

/** Calls `method path` on Cairn's API with a JSON body, as the dashboard's signed-in user. */
export async function callApi(c: UiContext, method: "GET" | "POST", path: string, body?: unknown): Promise<ApiAnswer> {
  const base = basePathOf(c);
  let app = apps.get(base);
  if (!app) {
    // Imported when first used: app.ts mounts these UI routes, so a static import would be a cycle.
    const { createApp } = await import("../app.ts");
    app = createApp({ basePath: base }) as unknown as App;
    apps.set(base, app);
  }
  // Says who asked: the API records it (a pause's `pausedBy`).
  const headers: Record<string, string> = { "content-type": "application/json", "x-cairn-client": "dashboard" };
  if (c.env.CAIRN_API_KEY) headers.authorization = `Bearer ${c.env.CAIRN_API_KEY}`;
  const url = new URL(path, new URL(c.req.url).origin).toString();
  const response = await app.request(
    url,
    { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
    c.env,
    c.executionCtx,
  );
  const text = await response.text();
  let json: ApiAnswer["body"] = {};
  try {
    json = text ? (JSON.parse(text) as ApiAnswer["body"]) : {};
  } catch {
    json = { error: { code: "internal_error", message: text.slice(0, 200) } };
  }
  return { status: response.status, body: json };
}
