// Subscriptions of subscribable workflows: who subscribed, when, enabled or not (credentials are
// write-only: the API never returns their values).
import { Time } from "../format.tsx";
import { Badge, Layout, useBasePath } from "../layout.tsx";

export interface SubscriptionGroup {
  workflow: string;
  subscriptions: { id: string; subscriber: string; enabled: boolean; createdAt?: string; metadata?: unknown }[];
  more: boolean;
}

export function SubscriptionsPage(props: { groups: SubscriptionGroup[]; nonce: string }) {
  const base = useBasePath();
  return (
    <Layout title="Subscriptions" nonce={props.nonce} section="subscriptions">
      <div class="page-head">
        <h1>Subscriptions</h1>
      </div>
      {props.groups.length === 0 ? (
        <div class="card empty">
          <strong>No subscribable workflows</strong>
          Set <code>subscription: {'{ mode: "subscribable" }'}</code> on a workflow, then subscribe with{" "}
          <code>POST /workflows/:slug/subscriptions</code>.
        </div>
      ) : (
        props.groups.map((group) => (
          <section data-testid={`subscriptions-${group.workflow}`}>
            <h2>
              <a href={`${base}/ui/workflows/${group.workflow}`}>{group.workflow}</a>
            </h2>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Subscriber</th>
                    <th>State</th>
                    <th class="hide-sm">Id</th>
                    <th>Since</th>
                  </tr>
                </thead>
                <tbody>
                  {group.subscriptions.map((s) => (
                    <tr data-nav="subscription">
                      <td>{s.subscriber}</td>
                      <td>
                        <Badge status={s.enabled ? "success" : "canceled"} />
                      </td>
                      <td class="hide-sm mono">{s.id}</td>
                      <td>
                        <Time at={s.createdAt} relative />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {group.subscriptions.length === 0 ? (
                <div class="empty">
                  <strong>No subscribers yet</strong>
                </div>
              ) : null}
            </div>
            {group.more ? <p class="muted small">More subscribers: page with the API's cursor.</p> : null}
          </section>
        ))
      )}
    </Layout>
  );
}
