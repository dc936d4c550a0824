// How the dashboard writes times and durations: `<time>` elements the client script turns into the
// viewer's local time zone (UTC on hover), relative times, and durations with units.

/** A duration with a unit that suits its size: `840 ms`, `2.4 s`, `3m 05s`, `2h 10m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** The time between two ISO dates (or epoch ms), formatted; empty when either is missing. */
export function between(start?: string | number, end?: string | number): string {
  if (start === undefined || end === undefined) return "";
  const ms =
    (typeof end === "number" ? end : Date.parse(end)) - (typeof start === "number" ? start : Date.parse(start));
  return formatDuration(ms);
}

const utc = (iso: string) =>
  `${iso
    .replace("T", " ")
    .replace(/\.\d+Z$/, "")
    .replace(/Z$/, "")} UTC`;

/**
 * A point in time. Rendered in UTC; the page script rewrites it in the viewer's time zone and keeps
 * UTC in the title. `relative`: shown as "3m ago" (kept fresh by the script), the date on hover.
 */
export function Time(props: { at?: string | number; relative?: boolean }) {
  if (props.at === undefined) return <span class="muted">—</span>;
  const iso = typeof props.at === "number" ? new Date(props.at).toISOString() : props.at;
  return (
    <time datetime={iso} title={utc(iso)} data-rel={props.relative ? "1" : undefined}>
      {utc(iso)}
    </time>
  );
}
