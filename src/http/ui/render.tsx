// Rendering a dashboard page: the request's base path in every link (layout.tsx's BasePath).
import type { Child } from "hono/jsx";
import { basePathOf } from "../base-path.ts";
import { BasePath } from "./layout.tsx";
import type { UiContext } from "./security.ts";

/** Renders a page or fragment with this request's base path in its links. */
export function page(c: UiContext, node: Child, status?: 200 | 400 | 401 | 403 | 404 | 409) {
  return c.html(<BasePath.Provider value={basePathOf(c)}>{node}</BasePath.Provider>, status);
}
