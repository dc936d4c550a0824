// `cairn-workflows/integrations/slack`: post and update Slack messages as durable steps, and
// render an approval message whose buttons resume a hook.
import { z } from "zod";
import { defineAction } from "../action.ts";
import { defineCredential } from "../credentials.ts";
import {
  fetchProvider,
  joinUrl,
  type ProviderCall,
  rejection,
  resolveBaseUrl,
  TransientProviderError,
} from "./shared.ts";

/** Slack's Web API base; method names are appended to it. */
const DEFAULT_SLACK_API_URL = "https://slack.com/api/";

/** Slack `error` codes that mean "try again later" rather than "this request is wrong". */
const TRANSIENT_SLACK_ERRORS = new Set(["ratelimited", "internal_error", "service_unavailable", "request_timeout"]);

/**
 * The Slack credential: a bot token (`xoxb-…`), per subscription or from the Worker secret
 * `SLACK_TOKEN`; an optional `baseUrl` points the calls elsewhere (else `SLACK_API_URL`).
 * @example
 * // a subscription's credentials: { "slack": { "token": "xoxb-…" } }
 * const mine = defineAction({ ..., credentials: [slackCredential], run: async (input, creds) => use(creds.slack.token) });
 */
export const slackCredential = defineCredential({
  key: "slack",
  fields: z.object({ token: z.string().min(1), baseUrl: z.string().url().optional() }),
});

/**
 * A Slack Block Kit block, passed through as Slack defines it.
 * @example const block: SlackBlock = { type: "section", text: { type: "mrkdwn", text: "*Deployed*" } };
 */
export type SlackBlock = Record<string, unknown>;

const Block = z.record(z.string(), z.unknown());
const MessageOutput = z.object({ channel: z.string(), ts: z.string() });

/** Calls one Slack Web API method with a JSON body; `{ ok: false }` answers become typed errors. */
async function callSlack(
  method: string,
  body: Record<string, unknown>,
  credentials: { token: string; baseUrl?: string },
  signal: AbortSignal,
): Promise<{ channel: string; ts: string }> {
  const { token, baseUrl } = credentials;
  const call: ProviderCall = {
    provider: "slack",
    operation: method,
    url: joinUrl(resolveBaseUrl(baseUrl, "SLACK_API_URL", DEFAULT_SLACK_API_URL), method),
    headers: { authorization: `Bearer ${token}` },
    json: body,
    signal,
    secrets: [token],
    describeError: (failure) => (failure as { error?: string } | null)?.error,
  };
  const response = await fetchProvider(call);
  const answer = (await response.json()) as { ok?: boolean; error?: string; channel?: string; ts?: string };
  // Slack reports most failures with HTTP 200 and `{ ok: false, error: "channel_not_found" }`.
  if (answer.ok !== true) {
    const error = answer.error ?? "unknown_error";
    const message = `slack ${method}: ${error}`;
    if (TRANSIENT_SLACK_ERRORS.has(error))
      throw new TransientProviderError("provider_unavailable", message, { provider: "slack", status: response.status });
    throw rejection("slack", message, response.status, error);
  }
  return { channel: answer.channel ?? String(body.channel), ts: answer.ts ?? "" };
}

/**
 * Posts a message (chat.postMessage). Returns the channel id and the message's `ts`, which
 * threads replies (`thread_ts`) and updates (`slackUpdateMessage`) refer to.
 * @example
 * const { ts } = await slackSendMessage.run({ channel: "#deploys", text: "Deployed v1.2" });
 * await slackSendMessage.run({ channel: "#deploys", text: "Details…", thread_ts: ts });
 */
export const slackSendMessage = defineAction({
  slug: "slack-send-message",
  name: "Slack: send a message",
  input: z
    .object({
      channel: z.string().min(1),
      text: z.string().optional(),
      blocks: z.array(Block).optional(),
      thread_ts: z.string().optional(),
    })
    .refine((input) => input.text !== undefined || input.blocks !== undefined, "give text, blocks or both"),
  output: MessageOutput,
  credentials: [slackCredential],
  run: (input, credentials, { signal }) => callSlack("chat.postMessage", input, credentials.slack, signal),
});

/**
 * Replaces a message's text and blocks (chat.update), for example to show a decision in place
 * of an approval message's buttons.
 * @example
 * await slackUpdateMessage.run({ channel, ts, text: "Approved by Ada", blocks: [] });
 */
export const slackUpdateMessage = defineAction({
  slug: "slack-update-message",
  name: "Slack: update a message",
  input: z
    .object({
      channel: z.string().min(1),
      ts: z.string().min(1),
      text: z.string().optional(),
      blocks: z.array(Block).optional(),
    })
    .refine((input) => input.text !== undefined || input.blocks !== undefined, "give text, blocks or both"),
  output: MessageOutput,
  credentials: [slackCredential],
  run: (input, credentials, { signal }) => callSlack("chat.update", input, credentials.slack, signal),
});

/**
 * One button of an approval message: its label and the values its link resumes the hook with.
 * @example const later: ApprovalButton = { label: "Snooze", values: { approved: false, snooze: "1h" } };
 */
export interface ApprovalButton {
  label: string;
  /** Sent as the hook's query parameters: `{ approved: true }` → `?approved=true`. */
  values: Record<string, string | number | boolean>;
  style?: "primary" | "danger";
}

/**
 * Renders an approval message: the question, then one link button per choice, each opening the
 * hook's resume URL with its values (`GET /hooks/:token?approved=true`). Defaults to Approve
 * (`approved=true`) and Reject (`approved=false`). Pass the result to `slackSendMessage`.
 * @example
 * const approval = ctx.hook({ schema: z.object({ approved: z.boolean() }), timeout: "1d" });
 * const { ts } = await slackSendMessage.run({ channel, ...slackApprovalMessage({ text: "Ship it?", hook: approval }) });
 * const { approved } = await approval;
 */
export function slackApprovalMessage(options: {
  text: string;
  /** The hook handle from `ctx.hook()`, or its resume URL. */
  hook: { resumeUrl: string } | string;
  buttons?: readonly ApprovalButton[];
}): { text: string; blocks: SlackBlock[] } {
  const resumeUrl = typeof options.hook === "string" ? options.hook : options.hook.resumeUrl;
  const buttons = options.buttons ?? [
    { label: "Approve", values: { approved: true }, style: "primary" },
    { label: "Reject", values: { approved: false }, style: "danger" },
  ];
  return {
    text: options.text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: options.text } },
      {
        type: "actions",
        elements: buttons.map((button, index) => {
          const url = new URL(resumeUrl);
          for (const [name, value] of Object.entries(button.values)) url.searchParams.set(name, String(value));
          return {
            type: "button",
            action_id: `cairn-hook-${index}`,
            text: { type: "plain_text", text: button.label },
            url: url.toString(),
            ...(button.style ? { style: button.style } : {}),
          };
        }),
      },
    ],
  };
}
