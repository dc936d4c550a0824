// `cairn-workflows/worker`: what a Worker entry needs — createCairn (the fetch, scheduled and queue
// handlers and a mountable Hono app, built from the project's definitions) and the Durable Objects.
import type { Hono } from "hono";
import type { AgentDefinition } from "../sdk/agent.ts";
import type { TriggerDefinition } from "../sdk/trigger.ts";
import type { WorkflowGraph } from "../sdk/workflow-graph.ts";
import type { WorkflowDefinition } from "../sdk/workflow-types.ts";
import { wireRuntime } from "./agents-runtime/wiring.ts";
import { readConfig } from "./config.ts";
import type { Env } from "./env.ts";
import { createApp } from "./http/app.ts";
import type { AppEnv } from "./http/base-path.ts";
import type { OffloadedStepMessage } from "./run/offload-port.ts";
import { consumeOffloadedSteps } from "./run/offloaded-step.ts";
import { registerDefinitions, registerGraphs } from "./run/registry.ts";
import type { FanOutMessage } from "./triggers-engine/dispatch.ts";
import { consumeFanOut } from "./triggers-engine/fan-out-consumer.ts";
import { handleScheduled } from "./triggers-engine/scheduled.ts";
import { registerTriggers } from "./triggers-engine/trigger-registry.ts";

export { AgentSessionObject } from "./agents-runtime/session-object.ts";
export { IndexObject } from "./history/index-object.ts";
export { RunObject } from "./run/run-object.ts";
export { TriggerStateObject } from "./triggers-engine/trigger-state-object.ts";
export { WorkflowObject } from "./triggers-engine/workflow-object.ts";
export type { Env as CairnEnv } from "./env.ts";

/**
 * What createCairn serves: the project's definitions (the shape of a generated `cairn.gen.ts`, so
 * its module namespace passes as is) and where Cairn is mounted.
 *
 * @example
 * import * as definitions from "./cairn.gen";
 * const cairn = createCairn({ ...definitions, basePath: "/cairn" });
 */
export interface CairnOptions {
  /** `defineWorkflow` results; two with one slug throw, naming it. */
  readonly workflows?: readonly WorkflowDefinition[];
  /**
   * Action modules. Actions run as steps of the workflows that import them, so nothing needs
   * them registered; accepted so that a generated definitions module passes as is.
   */
  readonly actions?: readonly unknown[];
  /** `defineAgent` results, served on `/agents/:slug`. */
  readonly agents?: readonly AgentDefinition[];
  /** Webhook, cron and poll sources with what they start (`defineWebhookSource(...).attach(...)`). */
  readonly triggers?: readonly TriggerDefinition[];
  /**
   * The workflows' graphs as `cairn generate` writes them into `cairn.gen.ts`: served on
   * `GET /workflows/:slug/graph`, and their call-site ids tell runs which step calls are in the
   * code. A workflow without one (registered without generate) just has no graph.
   *
   * @example
   * import * as definitions from "./cairn.gen"; // exports workflows, ..., graphs
   * createCairn(definitions);
   */
  readonly graphs?: readonly WorkflowGraph[];
  /**
   * The public path Cairn is served under, when a request does not show it: `fetch` and `app`
   * mounted with `app.route("/cairn", cairn.app)` find their mount path by themselves, so this is
   * for a Worker or proxy that strips the prefix before Cairn sees the request (Hono's
   * `app.mount("/cairn", cairn.fetch)`, say). Resume URLs, dashboard links and cookie paths use it.
   *
   * @example
   * createCairn({ ...definitions, basePath: "/cairn" });
   */
  readonly basePath?: string;
}

/** What the FANOUT queue carries: fan-out messages, and offloaded step attempts (`kind: "step"`). */
export type QueueMessage = FanOutMessage | OffloadedStepMessage;

function isStepMessage(message: Message<QueueMessage>): message is Message<OffloadedStepMessage> {
  return (message.body as { kind?: unknown }).kind === "step";
}

/** The Worker handlers and the Hono app createCairn returns. */
export interface Cairn {
  /** Cairn's HTTP API, hook URLs, webhooks and dashboard, after checking the configuration. */
  fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response>;
  /** Fires due cron and poll triggers and sweeps for stalled runs (wire a `* * * * *` cron). */
  scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void>;
  /**
   * Consumes the fan-out Queue (FANOUT): one run per subscription of a subscribable workflow, and
   * the attempts of offloaded steps (`defineAction({ offload: true })`), each reported to its run.
   */
  queue(batch: MessageBatch<QueueMessage>, env: Env, ctx: ExecutionContext): Promise<void>;
  /**
   * The routes as a Hono app, to mount in a Worker that has routes of its own:
   * `app.route("/cairn", cairn.app)`. Resume URLs, dashboard links and cookies follow the mount.
   */
  app: Hono<AppEnv>;
}

/**
 * Builds Cairn's Worker handlers from the project's definitions and registers them in this
 * isolate (its Durable Objects look workflows up there). Call it once at the top of the Worker
 * entry. A slug used by two different definitions throws an Error naming it; passing the same
 * definitions again (a second call in one isolate) is fine.
 *
 * Management routes (`/workflows`, `/runs`, `/agents`, `/triggers`, `/ui`) need
 * `Authorization: Bearer <CAIRN_API_KEY>`; without that secret they answer 403
 * `api_key_required` except on loopback hosts (`wrangler dev`) or with
 * `CAIRN_ALLOW_UNAUTHENTICATED = "true"`. Hook URLs and webhooks carry their own credentials.
 *
 * @example
 * // src/index.ts: Cairn as the whole Worker
 * import { createCairn } from "cairn-workflows/worker";
 * import * as definitions from "./cairn.gen";
 * const cairn = createCairn(definitions);
 * export default cairn;
 * export { RunObject, IndexObject, AgentSessionObject, TriggerStateObject, WorkflowObject } from "cairn-workflows/worker";
 *
 * @example
 * // Mounted under /cairn in a Hono Worker with routes of its own
 * const cairn = createCairn(definitions);
 * const app = new Hono();
 * app.get("/", (c) => c.text("my app"));
 * app.route("/cairn", cairn.app);
 * export default { fetch: app.fetch, scheduled: cairn.scheduled, queue: cairn.queue };
 */
export function createCairn(options: CairnOptions = {}): Cairn {
  registerDefinitions(options.workflows ?? [], options.agents ?? []);
  registerGraphs(options.graphs ?? []);
  registerTriggers(options.triggers ?? []);
  wireRuntime();
  // The app validates the configuration itself (createApp), so a mounted `app` does too.
  const app = createApp({ basePath: options.basePath });
  return {
    fetch: async (request, env, ctx) => app.fetch(request, env, ctx),
    // Workers have no startup hook: every handler validates the configuration on first use
    // (cached per env), so a misconfigured deploy fails loudly at once, not by corrupting runs.
    scheduled: async (controller, env, ctx) => {
      readConfig(env);
      await handleScheduled(env, controller.scheduledTime, (work) => ctx.waitUntil(work));
    },
    // Throwing retries the whole batch: its runs start once the configuration is fixed.
    queue: async (batch, env) => {
      readConfig(env);
      // Fan-out messages predate `kind` and carry none.
      const steps: Message<OffloadedStepMessage>[] = [];
      const fanOut: Message<FanOutMessage>[] = [];
      for (const message of batch.messages) {
        if (isStepMessage(message)) steps.push(message);
        else fanOut.push(message as Message<FanOutMessage>);
      }
      await Promise.all([
        steps.length ? consumeOffloadedSteps(steps, env) : undefined,
        fanOut.length ? consumeFanOut({ messages: fanOut }, env) : undefined,
      ]);
    },
    app,
  };
}
