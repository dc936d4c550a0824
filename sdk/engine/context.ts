// Builds the `ctx` a workflow's `run(input, ctx)` receives from the scope it runs in.
import type { WorkflowContext } from "../workflow-types.ts";
import type { StepScope } from "./scope.ts";
import { workflowLogger } from "./workflow-logs.ts";

/** The durable context of one workflow body (a sub-workflow gets its own, prefixed). */
export function createContext(scope: StepScope): WorkflowContext {
  const { info } = scope;
  return {
    runId: info.runId,
    workflow: info.workflow,
    trigger: info.trigger,
    source: info.source,
    triggeredAt: new Date(info.triggeredAt),
    subscription: info.subscription,
    sleep: (target) => scope.sleep(target),
    hook: (options) => scope.hook(options),
    patched: (patchId) => scope.patched(patchId),
    log: workflowLogger(scope.log?.bind(scope)),
  };
}
