// Shared by the dashboard's browser tests: wrangler dev serving the dashboard fixtures
// (test/fixtures/dashboard-wrangler.toml), Debian's Chromium through playwright-core, and helpers.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

export const artifacts = join(process.cwd(), "test-artifacts");
export const screenshots = join(process.cwd(), "docs", "screenshots");

export interface Dashboard {
  server: DevServer;
  browser: Browser;
  page(options?: { width?: number; height?: number; dark?: boolean }): Promise<Page>;
  start(slug: string, input: unknown): Promise<string>;
  run(runId: string): Promise<RunRecord>;
  stop(): Promise<void>;
}

export interface RunRecord {
  status: string;
  steps: { id: string; status: string; startedAt?: string; endedAt?: string }[];
  retryOf?: string;
}

/** Starts the fixture Worker and Chromium (each launch gets a fresh temporary profile). */
export async function openDashboard(): Promise<Dashboard> {
  execFileSync("bash", ["scripts/ensure-chromium.sh"], { stdio: "inherit" });
  mkdirSync(artifacts, { recursive: true });
  mkdirSync(screenshots, { recursive: true });
  const server = await startDevServer({ config: "test/fixtures/dashboard-wrangler.toml" });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    server,
    browser,
    async page({ width = 1280, height = 800, dark = false } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: dark ? "dark" : "light" });
      const p = await context.newPage();
      // Any request to another host would be a leak: the dashboard is self-contained.
      await p.route(
        (url) => url.host !== new URL(server.url).host && url.protocol !== "data:",
        (route) => {
          throw new Error(`request to an outside host: ${route.request().url()}`);
        },
      );
      return p;
    },
    async start(slug, input) {
      const response = await fetch(`${server.url}/workflows/${slug}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
      const body = (await response.json()) as { runId?: string };
      if (!body.runId) throw new Error(`could not start ${slug}: ${JSON.stringify(body)}`);
      return body.runId;
    },
    async run(runId) {
      return (await (await fetch(`${server.url}/runs/${runId}`)).json()) as RunRecord;
    },
    async stop() {
      await browser?.close();
      await server?.stop();
    },
  };
}

/** The run's record once its status is one of `statuses` (held server-side with ?wait). */
export async function runUntil(d: Dashboard, runId: string, statuses: string[]): Promise<RunRecord> {
  for (let i = 0; i < 60; i++) {
    const response = await fetch(`${d.server.url}/runs/${runId}?wait=2`);
    const run = (await response.json()) as RunRecord;
    if (statuses.includes(run.status)) return run;
  }
  throw new Error(`run ${runId} never reached ${statuses.join("/")}`);
}

/** The status badge's text on a run page. */
export async function statusOf(p: Page): Promise<string> {
  return (await p.getByTestId("run-status").innerText()).trim();
}
