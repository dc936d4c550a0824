// Chooses the provider by the model's vendor prefix and reads keys from the Worker's secrets,
// named as the providers' own SDKs name them.
import type { ModelClient, ModelRequest } from "../../sdk/engine/model-port.ts";
import { anthropicMessages } from "./anthropic-messages.ts";
import { openAiChat } from "./openai-chat.ts";
import { ProviderError } from "./provider-error.ts";
import { type AiBinding, workersAi } from "./workers-ai.ts";

export interface ModelEnv {
  OPENAI_API_KEY?: string;
  OPENAI_BASE_URL?: string;
  ANTHROPIC_API_KEY?: string;
  ANTHROPIC_BASE_URL?: string;
  AI?: AiBinding;
}

function secret(env: ModelEnv, name: "OPENAI_API_KEY" | "ANTHROPIC_API_KEY"): string {
  const value = env[name];
  if (!value) {
    throw new ProviderError(
      "missing_secret",
      `set the ${name} secret (wrangler secret put ${name}, or .dev.vars locally)`,
    );
  }
  return value;
}

function split(model: string): [vendor: string, id: string] {
  const slash = model.indexOf("/");
  if (slash <= 0)
    throw new ProviderError("non_retryable", `model "${model}" must be vendor/model-id, e.g. openai/gpt-4o-mini`);
  return [model.slice(0, slash), model.slice(slash + 1)];
}

/**
 * A model client over the Worker's environment (read on every call, so secrets set later apply).
 * @example setModelClient(createModelClient(() => env));
 */
export function createModelClient(getEnv: () => ModelEnv): ModelClient {
  return {
    complete(request: ModelRequest, options = {}) {
      const env = getEnv();
      const [vendor, id] = split(request.model);
      if (vendor === "anthropic") {
        return anthropicMessages(
          { baseUrl: env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com", apiKey: secret(env, "ANTHROPIC_API_KEY") },
          id,
          request,
          options.signal,
        );
      }
      if (vendor === "workers-ai") {
        if (!env.AI)
          throw new ProviderError(
            "missing_secret",
            "add an [ai] binding named AI to wrangler.toml to use workers-ai models",
          );
        return workersAi(env.AI, id, request);
      }
      if (vendor === "openai") {
        return openAiChat(
          {
            baseUrl: env.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
            apiKey: secret(env, "OPENAI_API_KEY"),
            provider: "openai",
          },
          id,
          request,
          options.signal,
        );
      }
      // Other vendors go through an OpenAI-compatible gateway when one is configured.
      if (env.OPENAI_BASE_URL) {
        return openAiChat(
          { baseUrl: env.OPENAI_BASE_URL, apiKey: secret(env, "OPENAI_API_KEY"), provider: vendor },
          request.model,
          request,
          options.signal,
        );
      }
      throw new ProviderError(
        "non_retryable",
        `no provider for vendor "${vendor}": use openai/, anthropic/, workers-ai/, or set OPENAI_BASE_URL to a gateway`,
      );
    },
  };
}
