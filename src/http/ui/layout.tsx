// The dashboard's page frame: top bar and navigation, the nonce'd stylesheet and scripts, the
// theme switch and the keyboard help; and the status badge every page uses.
import { type Child, createContext, useContext } from "hono/jsx";
import { commonScript, themeBootScript } from "./client/common.ts";
import { styles } from "./styles.ts";
import { DialogActions } from "./components/dialog-actions.tsx";

/**
 * Cairn's base path in this request (`""`, or `"/cairn"` when mounted there): every link, form
 * action and event-stream URL of the dashboard starts with it. Pages render inside its Provider.
 */
export const BasePath = createContext("");

export function useBasePath(): string {
  return useContext(BasePath);
}

const NAV = [
  ["workflows", "Workflows", ""],
  ["runs", "Runs", "/runs"],
  ["triggers", "Triggers", "/triggers"],
  ["schedules", "Schedules", "/schedules"],
  ["subscriptions", "Subscriptions", "/subscriptions"],
] as const;

const KEYS = [
  ["j / ↓", "next run or step"],
  ["k / ↑", "previous run or step"],
  ["Enter", "open it"],
  ["/", "search"],
  ["+ / − / 0", "zoom the waterfall in, out, whole run"],
  ["Esc", "close the step panel"],
  ["t", "switch light / dark"],
  ["?", "these keys"],
];

export function Layout(props: {
  title: string;
  children: Child;
  nonce: string;
  section?: (typeof NAV)[number][0];
  script?: string;
}) {
  const base = useBasePath();
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href="data:," />
        <title>{props.title} · Cairn</title>
        <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: themeBootScript }} />
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: styles }} />
      </head>
      <body>
        <header class="top">
          <a class="brand" href={`${base}/ui`}>
            ◭ Cairn
          </a>
          <nav>
            {NAV.map(([key, label, path]) => (
              <a href={`${base}/ui${path}`} class={props.section === key ? "on" : undefined}>
                {label}
              </a>
            ))}
          </nav>
          <div class="tools">
            <button type="button" class="icon-btn" id="theme" data-testid="theme-toggle" title="Light or dark (t)">
              ◐
            </button>
            <button type="button" class="icon-btn hide-sm" id="keys" title="Keyboard shortcuts (?)">
              ?
            </button>
          </div>
        </header>
        <main>{props.children}</main>
        <dialog id="keys-help">
          <h2>Keyboard</h2>
          <ul>
            {KEYS.map(([key, what]) => (
              <li>
                <kbd>{key}</kbd> <span class="muted">{what}</span>
              </li>
            ))}
          </ul>
          <DialogActions />
        </dialog>
        <script
          nonce={props.nonce}
          dangerouslySetInnerHTML={{ __html: `{${commonScript}}\n{${props.script ?? ""}}` }}
        />
      </body>
    </html>
  );
}

export function Badge(props: { status: string }) {
  return <span class={`badge s-${props.status}`}>{props.status.replaceAll("_", " ")}</span>;
}
