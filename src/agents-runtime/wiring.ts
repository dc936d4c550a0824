// Plugs the Worker's environment into the sdk's ports: model providers from secrets, agent
// sessions in Durable Objects, credentials from the subscription or the Worker's secrets.
import { env } from "cloudflare:workers";
import { setSessionStore } from "../../sdk/agent.ts";
import { secretName, setCredentialResolver } from "../../sdk/credentials.ts";
import { setModelClient } from "../../sdk/engine/model-port.ts";
import type { Env } from "../env.ts";
import { createModelClient } from "../models/model-router.ts";

const workerEnv = env as unknown as Env;

export function wireRuntime(): void {
  setCredentialResolver(async (credential, run) => {
    if (run?.subscription) {
      const stub = workerEnv.WORKFLOWS.get(workerEnv.WORKFLOWS.idFromName(run.workflow));
      const values = (await stub.credentials(run.subscription.id))[credential.key];
      if (values) return values;
    }
    const secrets = workerEnv as unknown as Record<string, unknown>;
    const values: Record<string, unknown> = {};
    for (const field of Object.keys(credential.fields.shape)) {
      const value = secrets[secretName(credential.key, field)];
      if (typeof value === "string") values[field] = value;
    }
    return Object.keys(values).length ? values : undefined;
  });
  setModelClient(createModelClient(() => workerEnv));
  setSessionStore({
    load: (sessionId) => workerEnv.SESSIONS.get(workerEnv.SESSIONS.idFromName(sessionId)).load(),
    save: (sessionId, messages) => workerEnv.SESSIONS.get(workerEnv.SESSIONS.idFromName(sessionId)).save(messages),
  });
}
