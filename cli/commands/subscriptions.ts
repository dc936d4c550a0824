// cairn subscriptions list | create | enable | disable | delete — the subscribers of a
// subscribable workflow. Credential values go in (inline or @file.json) and never come back.
import type { Command } from "commander";
import type { CreateSubscription, SubscriptionRecord } from "../../sdk/client.ts";
import { commandContext, type GlobalOptions, UsageProblem } from "../context.ts";
import { dim, examples, short, status, table } from "../format.ts";
import { parseJsonArgument, wholeNumber } from "../input.ts";

function subscriptionLine(s: SubscriptionRecord): string {
  return `${s.id}  ${s.subscriber}  ${status(s.enabled ? "enabled" : "disabled")}`;
}

/** A JSON object flag (`--metadata`, `--credentials`); anything else is a usage error. */
function objectArgument(value: string | undefined, flag: string): Record<string, never> | undefined {
  if (value === undefined) return undefined;
  const parsed = parseJsonArgument(value, flag);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageProblem(`${flag} must be a JSON object`);
  return parsed as Record<string, never>;
}

export function registerSubscriptions(program: Command, globals: () => GlobalOptions): void {
  const subscriptions = program
    .command("subscriptions")
    .description("subscribe tenants to a subscribable workflow: one run each per trigger fire")
    .addHelpText(
      "after",
      examples("cairn subscriptions list daily-digest", "cairn subscriptions create daily-digest acme"),
    );

  subscriptions
    .command("list <workflow>")
    .description("a workflow's subscriptions, oldest first")
    .option("-l, --limit <n>", "how many", "50")
    .option("--cursor <cursor>", "the page after this subscription id")
    .addHelpText(
      "after",
      examples("cairn subscriptions list daily-digest", "cairn subscriptions list daily-digest --json"),
    )
    .action(async (workflow: string, options: { limit: string; cursor?: string }) => {
      const ctx = commandContext(globals());
      const page = await ctx.client.subscriptions.list(workflow, {
        cursor: options.cursor,
        limit: wholeNumber(options.limit, "--limit", 1),
      });
      if (ctx.json) return ctx.out(JSON.stringify(page, null, 2));
      ctx.out(
        table(
          ["ID", "SUBSCRIBER", "STATE", "CREATED", "CREDENTIALS", "METADATA"],
          page.subscriptions.map((s) => [
            s.id,
            s.subscriber,
            status(s.enabled ? "enabled" : "disabled"),
            s.createdAt,
            s.credentialKeys.join(", "),
            short(s.metadata, 40),
          ]),
        ),
      );
      if (page.next) ctx.out(dim(`more: --cursor ${page.next}`));
    });

  subscriptions
    .command("create <workflow> <subscriber>")
    .description("subscribe someone (a tenant, an account) to a subscribable workflow")
    .option("-m, --metadata <json>", "metadata the subscriber's runs receive, as JSON or @file.json")
    .option("-c, --credentials <json>", 'per-credential values, e.g. {"slack":{"token":"…"}}; prefer @file.json')
    .addHelpText(
      "after",
      examples(
        `cairn subscriptions create daily-digest acme --metadata '{"channel":"#ops"}'`,
        "cairn subscriptions create daily-digest acme --credentials @acme-credentials.json",
      ),
    )
    .action(async (workflow: string, subscriber: string, options: { metadata?: string; credentials?: string }) => {
      const ctx = commandContext(globals());
      const body: CreateSubscription = { subscriber };
      const metadata = objectArgument(options.metadata, "--metadata");
      const credentials = objectArgument(options.credentials, "--credentials");
      if (metadata) body.metadata = metadata;
      if (credentials) body.credentials = credentials;
      const created = await ctx.client.subscriptions.create(workflow, body);
      ctx.out(ctx.json ? JSON.stringify(created, null, 2) : `subscribed: ${subscriptionLine(created)}`);
    });

  for (const verb of ["enable", "disable"] as const) {
    subscriptions
      .command(`${verb} <workflow> <id>`)
      .description(verb === "enable" ? "let the subscription receive runs again" : "stop starting runs for it")
      .addHelpText("after", examples(`cairn subscriptions ${verb} daily-digest sub_0123…`))
      .action(async (workflow: string, id: string) => {
        const ctx = commandContext(globals());
        const updated = await ctx.client.subscriptions[verb](workflow, id);
        ctx.out(ctx.json ? JSON.stringify(updated, null, 2) : subscriptionLine(updated));
      });
  }

  subscriptions
    .command("delete <workflow> <id>")
    .description("remove a subscription and its stored credentials")
    .addHelpText("after", examples("cairn subscriptions delete daily-digest sub_0123…"))
    .action(async (workflow: string, id: string) => {
      const ctx = commandContext(globals());
      const result = await ctx.client.subscriptions.delete(workflow, id);
      ctx.out(ctx.json ? JSON.stringify(result, null, 2) : `deleted ${id}`);
    });
}
