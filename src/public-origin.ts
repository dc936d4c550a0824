// Where hook resume URLs point: PUBLIC_URL, else an origin Cairn can trust (a loopback request in
// local development, or a host listed in CAIRN_ALLOWED_HOSTS) — never a Host header as sent.
import { ConfigError, type ConfigEnv, readConfig } from "./config.ts";

/** `localhost`, `127.0.0.0/8` or `[::1]`: a request only the machine itself can send (`wrangler dev`). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Whether a request's URL is local development (a loopback host). */
export function isLoopback(url: string | URL): boolean {
  return isLoopbackHost(new URL(url).hostname);
}

// The origin (with base path) local development was last reached at, in this isolate. A cron tick
// or a queue batch under `wrangler dev` runs in the same isolate, and has no request to read it from.
let lastLocalOrigin: string | undefined;

/**
 * Notes where local development is reached (every request through Cairn calls this): a loopback
 * request's origin and base path, kept for the runs a cron tick or a queue batch starts later.
 */
export function noteLocalOrigin(url: string, basePath: string): void {
  const { origin, hostname } = new URL(url);
  if (isLoopbackHost(hostname)) lastLocalOrigin = `${origin}${basePath}`;
}

/**
 * The origin and base path a run started by this request records for its resume URLs:
 * PUBLIC_URL when set; the request's own origin on a loopback host (local development: the
 * listening origin) or on a host listed in CAIRN_ALLOWED_HOSTS. Any other host could be a forged
 * `Host` header, so the start fails with a ConfigError naming PUBLIC_URL instead.
 *
 * @example
 * originOfRequest(env, "http://127.0.0.1:8790/workflows/x", "") // "http://127.0.0.1:8790"
 */
export function originOfRequest(env: ConfigEnv, url: string, basePath: string): string {
  const config = readConfig(env);
  if (config.publicUrl) return config.publicUrl;
  const { origin, host, hostname } = new URL(url);
  if (isLoopbackHost(hostname)) return `${origin}${basePath}`;
  if (config.allowedHosts.some((allowed) => allowed === (allowed.includes(":") ? host : hostname)))
    return `${origin}${basePath}`;
  throw new ConfigError(
    "PUBLIC_URL",
    `PUBLIC_URL: not set, and requests to ${hostname} (not a loopback host, not in CAIRN_ALLOWED_HOSTS) cannot name the address of hook resume URLs, since a Host header can be forged; set PUBLIC_URL to e.g. "https://cairn.example.com", or list the host in CAIRN_ALLOWED_HOSTS`,
  );
}

/**
 * The origin a run started without a request (a cron tick, a poll, a queue batch) records:
 * PUBLIC_URL, else the local origin this isolate was last reached at, else none (its resume URLs
 * are then built when the run needs them, see `resumeOrigin`).
 */
export function originWithoutRequest(env: ConfigEnv): string | undefined {
  return readConfig(env).publicUrl ?? lastLocalOrigin;
}

/**
 * The origin of a run's resume URLs: PUBLIC_URL, else the origin its start recorded, else the local
 * origin last seen, else `""` (a relative `/hooks/<token>`: never a guessed host or port).
 */
export function resumeOrigin(env: ConfigEnv, recorded: string | null | undefined): string {
  return (readConfig(env).publicUrl ?? recorded ?? lastLocalOrigin ?? "").replace(/\/$/, "");
}
