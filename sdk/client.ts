// `cairn-workflows/client`: a typed HTTP client for a Cairn runtime. Fetch only, so it works in Node,
// browsers and Workers. Each group of methods lives in sdk/client/<group>.ts.
import { agentsApi } from "./client/agents.ts";
import { hooksApi } from "./client/hooks.ts";
import { runsApi } from "./client/runs.ts";
import { subscriptionsApi } from "./client/subscriptions.ts";
import { type ClientOptions, createRequest } from "./client/transport.ts";
import { triggersApi } from "./client/triggers.ts";
import type { ClientDefinitions } from "./client/typed-run.ts";
import { type WorkflowsApi, workflowsApi } from "./client/workflows.ts";
import { CairnApiError, CairnConnectionError } from "./errors.ts";
import { FINISHED_STATUSES, type RunStatus } from "./engine/run-status.ts";

export { CairnApiError, CairnConnectionError, FINISHED_STATUSES, type RunStatus };
export type { AgentInfo, AgentReply, AgentsApi } from "./client/agents.ts";
export type { BulkFilter, BulkRequest, BulkStarted, BulkStatus } from "./client/bulk.ts";
export type { HooksApi } from "./client/hooks.ts";
export type { RunRecord, RunSummary, StepRecord, WorkflowInfo } from "./client/records.ts";
export type { RunEventsPage, RunListFilter, RunListPage, RunsApi } from "./client/runs.ts";
export type { RunExport, RunExportPage } from "./run-export.ts";
export type { CreateSubscription, SubscriptionRecord, SubscriptionsApi } from "./client/subscriptions.ts";
export type { ClientOptions } from "./client/transport.ts";
export type { TriggerFailure, TriggerFired, TriggerInfo, TriggersApi } from "./client/triggers.ts";
export type {
  ClientDefinitions,
  LooseRunWorkflow,
  RunWorkflowOptions,
  StartedRun,
  TypedRunWorkflow,
} from "./client/typed-run.ts";
export type { WorkflowPaused, WorkflowResumed, WorkflowsApi } from "./client/workflows.ts";

function buildClient(options: ClientOptions) {
  const request = createRequest(options);
  return {
    workflows: workflowsApi(request),
    runs: runsApi(request),
    hooks: hooksApi(request),
    triggers: triggersApi(request),
    subscriptions: subscriptionsApi(request),
    agents: agentsApi(request),
  };
}

type BaseClient = ReturnType<typeof buildClient>;

/** A client; `D` (the project's definitions) types `workflows.run` by slug. */
export type CairnClient<D extends ClientDefinitions = never> = Omit<BaseClient, "workflows"> & {
  readonly workflows: WorkflowsApi<D>;
};

/**
 * Creates a client for a Cairn runtime. Give it the project's definitions as a type argument
 * (as hono's `hc<typeof app>` takes the app) and `workflows.run` checks the input and types the
 * output by slug; without one, a call can name its workflow instead.
 * @example
 * import type * as definitions from "./cairn.gen";
 * const cairn = createClient<typeof definitions>({ url: "http://127.0.0.1:8787" });
 * const run = await cairn.workflows.run("greeting", { name: "Ada" }, { wait: 10 });
 * console.log(run.output?.message);
 * // untyped: createClient({ url }).workflows.run<typeof greeting>("greeting", { name: "Ada" })
 */
export function createClient<D extends ClientDefinitions = never>(options: ClientOptions): CairnClient<D> {
  // Types only: the definitions never travel, the server validates every input.
  return buildClient(options) as unknown as CairnClient<D>;
}
