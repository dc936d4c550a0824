// Asks a Slack channel to approve a deploy with Approve/Reject buttons that resume a hook, then
// replaces the buttons with the decision. Subscribable: each team posts with its own bot token.
import { z } from "zod";
import { slackApprovalMessage, slackSendMessage, slackUpdateMessage } from "cairn-workflows/integrations/slack";
import { defineWorkflow, HookTimeoutError } from "cairn-workflows/workflow";

export default defineWorkflow({
  slug: "slack-deploy-approval",
  name: "Slack deploy approval",
  description: "Posts an approval request with buttons to Slack and waits for the click.",
  subscription: { mode: "subscribable" },
  input: z.object({ channel: z.string(), service: z.string(), version: z.string() }),
  output: z.object({ decision: z.enum(["approved", "rejected", "expired"]) }),
  run: async ({ channel, service, version }, ctx) => {
    const approval = ctx.hook({ schema: z.object({ approved: z.boolean() }), timeout: "4h" });
    const message = slackApprovalMessage({ text: `Deploy *${service}* ${version}?`, hook: approval });
    const posted = await slackSendMessage.run({ channel, ...message });
    let decision: "approved" | "rejected" | "expired";
    try {
      decision = (await approval).approved ? "approved" : "rejected";
    } catch (error) {
      if (!(error instanceof HookTimeoutError)) throw error;
      decision = "expired";
    }
    await slackUpdateMessage.run({
      channel: posted.channel,
      ts: posted.ts,
      text: `Deploy ${service} ${version}: ${decision}`,
      blocks: [],
    });
    return { decision };
  },
});
