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

export function commandContext(options: GlobalOptions): CommandContext {
  const url = options.url ?? process.env.CAIRN_URL ?? DEFAULT_URL;
  const apiKey = options.apiKey ?? process.env.CAIRN_API_KEY;
  return {
    client: createClient({ url, apiKey }),
    url,
    json: Boolean(options.json) || !process.stdout.isTTY,
    out: (text) => process.stdout.write(`${text}\n`),
  };
}

/** A mistake in how the command was called: exit code 2. */
export class UsageProblem extends Error {}

/** The command worked but its subject failed (a run ended failed): exit code 1. */
export class FailedOutcome extends Error {}
