// Sign in with the API key (kept in an HttpOnly cookie) when the Worker has one.
import { Layout } from "../layout.tsx";

export function LoginPage(props: { nonce: string; csrf: string; failed?: boolean }) {
  return (
    <Layout title="Sign in" nonce={props.nonce}>
      <section class="card" style="max-width:26rem">
        <h1>Sign in</h1>
        <p class="muted">This Cairn runtime needs its API key.</p>
        {props.failed ? <p class="err">That key is not right.</p> : null}
        <form method="post" action="/ui/login">
          <input type="hidden" name="_csrf" value={props.csrf} />
          <label for="key">API key</label>
          <input id="key" type="password" name="key" autocomplete="current-password" />
          <button type="submit">Sign in</button>
        </form>
      </section>
    </Layout>
  );
}
