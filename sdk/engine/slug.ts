// The one rule for slugs of workflows, actions and trigger sources (they appear in routes and step ids).
import { UsageError } from "../errors.ts";

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Throws a clear error for a slug that cannot appear in a route or a step id.
 * @example assertSlug("workflow", "Greeting") // throws UsageError
 */
export function assertSlug(kind: string, slug: string): void {
  if (!SLUG.test(slug)) {
    throw new UsageError(
      `${kind} slug ${JSON.stringify(slug)} must be lowercase letters, digits and dashes (at most 63)`,
    );
  }
}
