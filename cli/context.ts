// What every command needs: the target runtime, the client, and how to print.
import { type CairnClient, createClient } from "../sdk/client.ts";

export interface GlobalOptions {
  url?: string;
  apiKey?: string;
  json?: boolean;
}

export interface CommandContext {
  client: CairnClient;
  url: string;
  /** JSON on stdout when piped or with --json; human output on a terminal. */
  json: boolean;
  out: (text: string) => void;
}

export const DEFAULT_URL = "http://127.0.0.1:8787";

/** A mistake in how the command was called: exit code 2. */
export class UsageProblem extends Error {}

/** The command worked but its subject failed (a run ended failed): exit code 1. */
export class FailedOutcome extends Error {}

/**
 * Checks that the runtime URL is an http(s) URL, so a typo is a usage error (exit 2) instead
 * of a connection error. `from` names where the URL came from (`--url`, `CAIRN_URL`).
 */
export function checkRuntimeUrl(url: string, from: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:"))
    throw new UsageProblem(`${from} "${url}" is not an http(s) URL (for example ${DEFAULT_URL})`);
  return url;
}

export function commandContext(options: GlobalOptions): CommandContext {
  const url =
    options.url !== undefined
      ? checkRuntimeUrl(options.url, "--url")
      : process.env.CAIRN_URL
        ? checkRuntimeUrl(process.env.CAIRN_URL, "CAIRN_URL")
        : DEFAULT_URL;
  const apiKey = options.apiKey ?? process.env.CAIRN_API_KEY;
  return {
    // The runtime records who paused or resumed a workflow: the CLI says it is the CLI.
    client: createClient({ url, apiKey, headers: { "x-cairn-client": "cli" } }),
    url,
    json: Boolean(options.json) || !process.stdout.isTTY,
    out: (text) => process.stdout.write(`${text}\n`),
  };
}
