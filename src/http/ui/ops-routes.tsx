// Dashboard pages for what starts runs: triggers, schedules (cron and poll sources with their next
// fires) and subscriptions, each read through the JSON API.
import { Cron } from "croner";
import { Hono } from "hono";
import { registry } from "../../run/registry.ts";
import { callApi } from "./api-call.ts";
import { SubscriptionsPage, type SubscriptionGroup } from "./pages/subscriptions.tsx";
import { type TriggerRow, TriggersPage } from "./pages/triggers.tsx";
import { page } from "./render.tsx";
import type { UiContext, UiEnv } from "./security.ts";

/** How many upcoming fires a schedule shows. */
const NEXT_FIRES = 3;

function nextFires(schedule: string, timezone: string | undefined): string[] {
  try {
    return new Cron(schedule, { timezone: timezone ?? "UTC", paused: true })
      .nextRuns(NEXT_FIRES)
      .map((at) => at.toISOString());
  } catch {
    return [];
  }
}

async function triggerRows(c: UiContext): Promise<TriggerRow[]> {
  const { body } = await callApi(c, "GET", "/triggers");
  const triggers = (body.triggers ?? []) as Omit<TriggerRow, "failures" | "nextFires">[];
  return Promise.all(
    triggers.map(async (t) => {
      const failures = await callApi(c, "GET", `/triggers/${t.slug}/failures`);
      return {
        ...t,
        failures: (failures.body.failures ?? []) as TriggerRow["failures"],
        ...(t.schedule ? { nextFires: t.enabled ? nextFires(t.schedule, t.timezone) : [] } : {}),
      };
    }),
  );
}

export const opsRoutes = new Hono<UiEnv>()
  .get("/triggers", async (c) =>
    page(c, <TriggersPage triggers={await triggerRows(c)} nonce={c.get("nonce")} csrf={c.get("csrf")} />),
  )
  .get("/schedules", async (c) => {
    const schedules = (await triggerRows(c)).filter((t) => t.schedule);
    return page(c, <TriggersPage triggers={schedules} schedulesOnly nonce={c.get("nonce")} csrf={c.get("csrf")} />);
  })
  .get("/subscriptions", async (c) => {
    const subscribable = [...registry.workflows.values()].filter((w) => w.subscription?.mode === "subscribable");
    const groups: SubscriptionGroup[] = await Promise.all(
      subscribable.map(async (w) => {
        const { body } = await callApi(c, "GET", `/workflows/${w.slug}/subscriptions?limit=100`);
        return {
          workflow: w.slug,
          subscriptions: (body.subscriptions ?? []) as SubscriptionGroup["subscriptions"],
          more: Boolean(body.next),
        };
      }),
    );
    return page(c, <SubscriptionsPage groups={groups} nonce={c.get("nonce")} />);
  });
