// The payload schemas of a run's hooks. A schema lives in the workflow's code, not in the log, so
// after a restart a side-effect-free replay (a probe) recovers it; the pass fills it as it goes.
import { drive } from "../../sdk/engine/driver.ts";
import type { HookOptions } from "../../sdk/engine/scope.ts";
import type { SqlEventLog } from "../log/sql-event-log.ts";
import { callSites, registry } from "./registry.ts";
import type { RunRow } from "./run-view.ts";

type Schema = HookOptions<unknown>["schema"];

export class HookSchemas {
  /** Filled by every pass (the driver records each hook's schema as the code creates it). */
  readonly byToken = new Map<string, Schema>();

  /** The schema of the hook with this token, probing the workflow's code when no pass has seen it. */
  async of(token: string, row: RunRow, log: SqlEventLog, resumeUrl: (token: string) => string): Promise<Schema> {
    if (this.byToken.has(token)) return this.byToken.get(token);
    const created = log.events.find((e) => e.type === "hook_created" && e.token === token);
    if (created?.type !== "hook_created" || created.schema === undefined) return undefined;
    const workflow = registry.workflows.get(row.workflow);
    if (workflow)
      await drive(workflow, log, {
        runId: row.id,
        probe: true,
        hookSchemas: this.byToken,
        resumeUrl,
        callSites: callSites(),
      });
    return this.byToken.get(token);
  }
}
