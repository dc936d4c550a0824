// The dashboard's page frame: top bar, styles, and the status badge every page uses.
import { type Child, createContext, useContext } from "hono/jsx";
import { styles } from "./styles.ts";

/**
 * Cairn's base path in this request (`""`, or `"/cairn"` when mounted there): every link, form
 * action and event-stream URL of the dashboard starts with it. Pages render inside its Provider.
 */
export const BasePath = createContext("");

export function useBasePath(): string {
  return useContext(BasePath);
}

export function Layout(props: { title: string; children: Child; nonce: string; script?: string }) {
  const base = useBasePath();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Cairn</title>
        <style>{styles}</style>
      </head>
      <body>
        <header class="top">
          <a class="brand" href={`${base}/ui`}>
            ◭ Cairn
          </a>
          <a href={`${base}/ui`}>Workflows</a>
          <a href={`${base}/ui/runs`}>Runs</a>
        </header>
        <main>{props.children}</main>
        {props.script ? <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: props.script }} /> : null}
      </body>
    </html>
  );
}

export function Badge(props: { status: string }) {
  return <span class={`badge s-${props.status}`}>{props.status.replaceAll("_", " ")}</span>;
}

export function ago(iso?: string): string {
  if (!iso) return "";
  const seconds = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}

export function took(start?: string, end?: string): string {
  if (!start || !end) return "";
  const ms = Date.parse(end) - Date.parse(start);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
