// Plugs the Worker's environment into the sdk's ports: model providers from secrets, agent
// sessions in Durable Objects, workflow tool runs in RunObjects, credentials from the
// subscription or the Worker's secrets.
import { env } from "cloudflare:workers";
import { setSessionStore } from "../../sdk/session-store.ts";
import { secretName, setCredentialResolver } from "../../sdk/credential-resolver.ts";
import { setModelClient } from "../../sdk/engine/model-port.ts";
import { envSecretValues, setLogSecretSource } from "../../sdk/engine/step-logs.ts";
import { setToolRunRecorder } from "../../sdk/tool-runs.ts";
import type { Env } from "../env.ts";
import { createModelClient } from "../models/model-router.ts";
import { recordToolRun } from "../run/recorded-run.ts";
import { sessionObject } from "./session-object.ts";

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
  // Step and run logs never show the value of a secret-named binding (*_KEY, *_TOKEN, ...).
  setLogSecretSource(() => envSecretValues(workerEnv as unknown as Record<string, unknown>));
  setSessionStore({
    load: (sessionId) => sessionObject(workerEnv, sessionId).load(),
    append: (sessionId, turn) => sessionObject(workerEnv, sessionId).append(turn),
  });
  setToolRunRecorder({ record: (run) => recordToolRun(workerEnv, run) });
}
