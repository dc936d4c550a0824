// Sign in with the API key (kept in an HttpOnly cookie) when the Worker has one; without a key on
// a public host, how to set one instead of a form (secure by default: the dashboard stays closed).
import { API_KEY_REQUIRED_MESSAGE } from "../../auth.ts";
import { Layout, useBasePath } from "../layout.tsx";

export function LoginPage(props: { nonce: string; csrf: string; failed?: boolean; closed?: boolean }) {
  const base = useBasePath();
  if (props.closed)
    return (
      <Layout title="API key required" nonce={props.nonce}>
        <section class="card narrow wide" data-code="api_key_required">
          <h1>API key required</h1>
          <p>{API_KEY_REQUIRED_MESSAGE}</p>
          <p class="muted">
            Then sign in here with that key. (<code>api_key_required</code>)
          </p>
        </section>
      </Layout>
    );
  return (
    <Layout title="Sign in" nonce={props.nonce}>
      <section class="card narrow">
        <h1>Sign in</h1>
        <p class="muted">This Cairn runtime needs its API key.</p>
        {props.failed ? <p class="err">That key is not right.</p> : null}
        <form method="post" action={`${base}/ui/login`}>
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label for="key">API key</label>
          <input id="key" type="password" name="key" autocomplete="current-password" />
          <button type="submit">Sign in</button>
        </form>
      </section>
    </Layout>
  );
}
