// `npm start`: runs the engine locally with `wrangler dev` (state kept in .wrangler/) and,
// once it is listening, prints how to call the example workflows.
import { spawn } from "node:child_process";

const port = process.env.PORT ?? "8787";
const url = `http://127.0.0.1:${port}`;

const child = spawn("npx", ["wrangler", "dev", "--ip", "127.0.0.1", "--port", port, ...process.argv.slice(2)], {
  stdio: ["inherit", "pipe", "inherit"],
  // The machine may have no route to Cloudflare: skip fetching the Request.cf sample data.
  env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", ...process.env },
});

let announced = false;
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready on/.test(String(chunk))) {
    announced = true;
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
`);
  }
});

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
