// `client.subscriptions`: the subscribers of a subscribable workflow. Credential values go in and
// never come back (a subscription lists only their key names).
import { query, type Request, segment } from "./transport.ts";

export interface SubscriptionRecord {
  id: string;
  subscriber: string;
  enabled: boolean;
  metadata?: unknown;
  createdAt: string;
  /** Names of the credential keys stored for this subscriber (never their values). */
  credentialKeys: string[];
}

export interface CreateSubscription {
  /** Who subscribes, unique per workflow (a tenant or account id). */
  subscriber: string;
  metadata?: Record<string, unknown>;
  /** Per-credential field values (`{ slack: { token: "…" } }`), stored encrypted. */
  credentials?: Record<string, Record<string, string>>;
}

export function subscriptionsApi(request: Request) {
  const path = (slug: string, id?: string) =>
    `/workflows/${segment(slug)}/subscriptions${id === undefined ? "" : `/${segment(id)}`}`;
  const setEnabled = (slug: string, id: string, enabled: boolean) =>
    request<SubscriptionRecord>(path(slug, id), { method: "PATCH", json: { enabled } });
  return {
    /**
     * One page of a workflow's subscriptions, oldest first; `next` is the following page's cursor.
     * @example const { subscriptions, next } = await cairn.subscriptions.list("weekly-report");
     */
    list: (slug: string, opts: { cursor?: string; limit?: number } = {}) =>
      request<{ subscriptions: SubscriptionRecord[]; next?: string }>(`${path(slug)}${query(opts)}`),
    /**
     * Subscribes someone to a subscribable workflow (409 `subscription_exists` when they already are).
     * @example await cairn.subscriptions.create("weekly-report", { subscriber: "acme", metadata: { channel: "#ops" } });
     */
    create: (slug: string, subscription: CreateSubscription) =>
      request<SubscriptionRecord>(path(slug), { method: "POST", json: subscription }),
    /** @example await cairn.subscriptions.enable("weekly-report", subscriptionId); */
    enable: (slug: string, id: string) => setEnabled(slug, id, true),
    /** @example await cairn.subscriptions.disable("weekly-report", subscriptionId); */
    disable: (slug: string, id: string) => setEnabled(slug, id, false),
    /** @example await cairn.subscriptions.delete("weekly-report", subscriptionId); */
    delete: (slug: string, id: string) => request<{ deleted: true }>(path(slug, id), { method: "DELETE" }),
  };
}

/** `client.subscriptions`. */
export type SubscriptionsApi = ReturnType<typeof subscriptionsApi>;
