// Plugs the Worker's environment into the sdk's ports: model providers from secrets, agent
// sessions in Durable Objects.
import { env } from "cloudflare:workers";
import { setSessionStore } from "../../sdk/agent.ts";
import { setModelClient } from "../../sdk/engine/model-port.ts";
import type { Env } from "../env.ts";
import { createModelClient } from "../models/model-router.ts";

const workerEnv = env as unknown as Env;

export function wireRuntime(): void {
  setModelClient(createModelClient(() => workerEnv));
  setSessionStore({
    load: (sessionId) => workerEnv.SESSIONS.get(workerEnv.SESSIONS.idFromName(sessionId)).load(),
    save: (sessionId, messages) => workerEnv.SESSIONS.get(workerEnv.SESSIONS.idFromName(sessionId)).save(messages),
  });
}
