// `npm start`: runs the engine locally with `wrangler dev` (state kept in .wrangler/), fires the
// Worker's cron every minute as Cloudflare would (cli/dev/run-dev.ts, shared with `cairn dev`) and,
// once it is listening, prints how to call the example workflows.
import { register } from "tsx/esm/api";

// The dev runner is TypeScript (cli/dev/): run it through tsx, as bin/cairn.mjs runs the CLI.
register();
const { runDev } = await import("../cli/dev/run-dev.ts");

const port = process.env.PORT ?? "8787";
const url = `http://127.0.0.1:${port}`;
// `npm start -- --no-cron` (or CAIRN_DEV_CRON=off) leaves the cron triggers alone; the rest goes to wrangler dev.
const args = process.argv.slice(2);
const cron = !args.includes("--no-cron");

function banner() {
  process.stdout.write(`
  Cairn is running at ${url}

  Start a run and wait for its result:
    curl -s -X POST '${url}/workflows/greeting?wait=10' -H 'content-type: application/json' -d '{"name":"Ada"}'

  Other examples: signup-pipeline, enrich-lead, qualify-leads, inventory-check (retries),
  place-order (compensation), delayed-followup (sleep), expense-approval (approval link):
    curl -s -X POST ${url}/workflows/expense-approval -H 'content-type: application/json' \\
      -d '{"employee":"ada","amount":120,"manager":"grace","timeout":"1h"}'
    curl -s ${url}/runs/<runId>            # status, steps, and the hook's resumeUrl
    open '<resumeUrl>?approved=true' in a browser   # a confirmation page; its button approves
    curl -s -X POST '<resumeUrl>' -H 'content-type: application/json' -d '{"approved":true}'   # or approve directly

  List workflows: curl -s ${url}/workflows   ·   History: curl -s ${url}/runs
  CLI: npm run cairn -- workflows list   ·   Dashboard: ${url}/ui
  Cron: the Worker's cron fires every minute on the minute (npm start -- --no-cron to turn it off)
`);
}

const code = await runDev({
  cwd: process.cwd(),
  args: ["--port", port, ...args.filter((arg) => arg !== "--no-cron")],
  cron,
  onReady: banner,
});
process.exit(code);
