// Reading a dashboard form: its fields only when its CSRF token matches the cookie's.
import { readForm } from "../body.ts";
import { csrfOk, type UiContext } from "./security.ts";

/** A form's fields when its CSRF token matches (read within the body limit: a 413 otherwise). */
export async function form(c: UiContext): Promise<Record<string, string> | undefined> {
  const body = await readForm(c);
  return csrfOk(c, body._csrf) ? body : undefined;
}
