// Turns a source's payload into a workflow's input: the attachment's transform, then the
// workflow's input schema (extra fields dropped).
import type { Attachment } from "../../sdk/trigger.ts";

export type InputResult = { ok: true; input: unknown } | { ok: false; message: string; issues?: unknown };

export function inputFor(attachment: Extract<Attachment, { workflow: unknown }>, payload: unknown): InputResult {
  let candidate: unknown;
  try {
    candidate = attachment.transform ? attachment.transform(payload as never) : payload;
  } catch (error) {
    return { ok: false, message: `transform threw: ${(error as Error).message}` };
  }
  const parsed = attachment.workflow.input.safeParse(candidate ?? {});
  if (!parsed.success)
    return {
      ok: false,
      message: `input does not match workflow ${attachment.workflow.slug}`,
      issues: parsed.error.issues,
    };
  return { ok: true, input: parsed.data };
}
