// Triggers and schedules: each source's kind, state, last and next fire, its recent failed
// deliveries, and enable/disable/invoke behind confirmations. Schedules are the cron and poll
// sources with their next fires.
import { Copy } from "../components/copy.tsx";
import { Time } from "../format.tsx";
import { Badge, Layout, useBasePath } from "../layout.tsx";

export interface TriggerRow {
  slug: string;
  kind: string;
  endpoint?: string;
  schedule?: string;
  timezone?: string;
  attachments: { id: string; workflow?: string; agent?: string }[];
  enabled: boolean;
  lastFiredAt?: string;
  lastResult?: string;
  /** The next fires of a schedule (ISO), soonest first. */
  nextFires?: string[];
  failures: { at: string; reason: string }[];
}

function Switches(props: { trigger: TriggerRow; csrf: string; back: string }) {
  const base = useBasePath();
  const { trigger } = props;
  const post = (op: string, label: string, confirm: string, cls = "ghost") => (
    <form method="post" action={`${base}/ui/triggers/${trigger.slug}/${op}`} data-confirm={confirm}>
      <input type="hidden" name="_csrf" value={props.csrf} />
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" class={cls} data-testid={`${op}-${trigger.slug}`}>
        {label}
      </button>
    </form>
  );
  return (
    <div class="actions">
      {trigger.enabled
        ? post("disable", "Disable", `Disable ${trigger.slug}? It stops starting runs until enabled.`)
        : post("enable", "Enable", `Enable ${trigger.slug}?`, "")}
      {post("invoke", "Invoke now", `Fire ${trigger.slug} once now?`)}
    </div>
  );
}

export function TriggersPage(props: { triggers: TriggerRow[]; schedulesOnly?: boolean; nonce: string; csrf: string }) {
  const base = useBasePath();
  const title = props.schedulesOnly ? "Schedules" : "Triggers";
  return (
    <Layout title={title} nonce={props.nonce} section={props.schedulesOnly ? "schedules" : "triggers"}>
      <div class="page-head">
        <h1>{title}</h1>
        <span class="muted small">{props.triggers.length}</span>
      </div>
      {props.triggers.length === 0 ? (
        <div class="card empty">
          <strong>{props.schedulesOnly ? "No cron or poll triggers" : "No triggers"}</strong>
          Define one with <code>defineTrigger</code> in a <code>triggers/</code> file; <code>cairn generate</code>{" "}
          registers it.
        </div>
      ) : (
        <div class="grid">
          {props.triggers.map((t) => (
            <section class="card" data-testid={`trigger-${t.slug}`}>
              <div class="row">
                <strong>{t.slug}</strong>
                <span class="badge">{t.kind}</span>
                <Badge status={t.enabled ? "success" : "canceled"} />
                <span class="muted small">{t.enabled ? "enabled" : "disabled"}</span>
              </div>
              <dl class="kv">
                {t.endpoint ? (
                  <>
                    <dt>Endpoint</dt>
                    <dd class="row">
                      <code>POST {`${base}${t.endpoint}`}</code> <Copy value={`${base}${t.endpoint}`} />
                    </dd>
                  </>
                ) : null}
                {t.schedule ? (
                  <>
                    <dt>Schedule</dt>
                    <dd>
                      <code>{t.schedule}</code> <span class="muted">{t.timezone}</span>
                    </dd>
                    <dt>Next fire</dt>
                    <dd data-testid="next-fire">
                      {t.nextFires?.length ? (
                        t.nextFires.map((at, i) => (
                          <>
                            {i ? ", " : ""}
                            <Time at={at} />
                          </>
                        ))
                      ) : (
                        <span class="muted">none</span>
                      )}
                    </dd>
                  </>
                ) : null}
                <dt>Last fire</dt>
                <dd>
                  {t.lastFiredAt ? (
                    <>
                      <Time at={t.lastFiredAt} relative /> <span class="muted">{t.lastResult}</span>
                    </>
                  ) : (
                    <span class="muted">never</span>
                  )}
                </dd>
                <dt>Starts</dt>
                <dd>
                  {t.attachments.map((a) =>
                    a.workflow ? (
                      <a href={`${base}/ui/workflows/${a.workflow}`}>{a.workflow} </a>
                    ) : (
                      <code>{a.agent} </code>
                    ),
                  )}
                </dd>
                <dt>Failures</dt>
                <dd>
                  {t.failures.length === 0 ? (
                    <span class="muted">none recorded</span>
                  ) : (
                    <ul class="failures">
                      {t.failures.slice(0, 5).map((f) => (
                        <li>
                          <Time at={f.at} relative /> <span class="err">{f.reason}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </dl>
              <Switches trigger={t} csrf={props.csrf} back={props.schedulesOnly ? "schedules" : "triggers"} />
              <a class="small" href={`${base}/ui/runs?trigger=${t.kind}`}>
                Runs started by {t.kind} triggers →
              </a>
            </section>
          ))}
        </div>
      )}
    </Layout>
  );
}
