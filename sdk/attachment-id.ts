// The id of a trigger's attachment, `<source>:<target>`: run ids of deliveries derive from it.
// Internal to the runtime (not a package subpath).
import type { Attachment, TriggerDefinition } from "./trigger.ts";

/**
 * The attachment's id, `<source>:<target>` (`#<n>` added when one source attaches the same
 * target twice). Run ids of trigger deliveries derive from it, so reordering attachments
 * does not change them.
 * @example attachmentId(trigger, 0) // "stripe-paid:record-payment"
 */
export function attachmentId(trigger: TriggerDefinition, index: number): string {
  const target = (a: Attachment) => ("workflow" in a ? a.workflow.slug : a.agent.slug);
  const attachment = trigger.attachments[index];
  if (!attachment) throw new RangeError(`${trigger.source.slug} has no attachment ${index}`);
  const slug = target(attachment);
  const before = trigger.attachments.slice(0, index).filter((a) => target(a) === slug).length;
  return `${trigger.source.slug}:${slug}${before ? `#${before + 1}` : ""}`;
}
