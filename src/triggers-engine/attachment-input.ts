// Turns a source's payload into a workflow's input: the attachment's transform, then the
// workflow's input schema (extra fields dropped).
import { attachmentId } from "../../sdk/attachment-id.ts";
import type { Attachment, TriggerDefinition } from "../../sdk/trigger.ts";

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

/** An attachment whose input could not be made from a delivery, by attachment id (`<source>:<target>`). */
export interface InputFailure {
  attachment: string;
  message: string;
  issues?: unknown;
}

/**
 * The workflow attachments of `trigger` that cannot take `payload` (a transform that throws, or
 * output that fails the workflow's input schema). A webhook checks them all before starting
 * anything, so a refused delivery starts nothing and its retry is not a partial duplicate.
 * @example inputFailures(trigger, { email: 42 }) // [{ attachment: "signups:signup", message: "input does not match ...", issues: [...] }]
 */
export function inputFailures(trigger: TriggerDefinition, payload: unknown): InputFailure[] {
  const failures: InputFailure[] = [];
  for (const [index, attachment] of trigger.attachments.entries()) {
    if (!("workflow" in attachment)) continue;
    const input = inputFor(attachment, payload);
    if (!input.ok)
      failures.push({ attachment: attachmentId(trigger, index), message: input.message, issues: input.issues });
  }
  return failures;
}
