// Adopting Cairn as a new user does, outside this repository: `npm pack`, install the tarball into a
// fresh project, `npx cairn init --yes`, add a workflow of one's own, type-check, run its test,
// serve it with `wrangler dev` and run the workflow over HTTP and from a plain Node script; then
// the same for an existing Hono Worker with Cairn mounted under /cairn.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/wrangler-dev.ts";

const repo = process.cwd();
const root = mkdtempSync(join(tmpdir(), "cairn-adoption-"));
const fresh = join(root, "fresh-app");
const existing = join(root, "hono-app");
const servers: DevServer[] = [];

/** Runs a command in `cwd`; fails the test with its output when it exits non-zero. */
function sh(cwd: string, command: string, args: string[]): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CI: "true",
      NO_COLOR: "1",
      npm_config_audit: "false",
      npm_config_fund: "false",
    },
    timeout: 240_000,
  });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")} failed in ${cwd} (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  return `${result.stdout}${result.stderr}`;
}

function write(dir: string, file: string, text: string): void {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), text);
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const ORDER_ACTION = `import { z } from "zod";
import { defineAction } from "cairn-workflows/action";

export const priceOrder = defineAction({
  slug: "price-order",
  input: z.object({ quantity: z.number().int(), unitCents: z.number().int() }),
  output: z.object({ totalCents: z.number().int() }),
  run: async ({ quantity, unitCents }) => ({ totalCents: quantity * unitCents }),
});
`;

const ORDER_WORKFLOW = `import { z } from "zod";
import { defineWorkflow } from "cairn-workflows/workflow";
import { priceOrder } from "../actions/price-order";

export default defineWorkflow({
  slug: "order-total",
  input: z.object({ quantity: z.number().int(), unitCents: z.number().int() }),
  output: z.object({ totalCents: z.number().int(), runId: z.string() }),
  run: async (input, ctx) => {
    const { totalCents } = await priceOrder.run(input);
    return { totalCents, runId: ctx.runId };
  },
});
`;

describe("cairn-workflows as a package", () => {
  let tarball = "";

  beforeAll(() => {
    const packed = execFileSync("npm", ["pack", "--pack-destination", root, "--json"], { cwd: repo, encoding: "utf8" });
    const [info] = JSON.parse(packed.slice(packed.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    tarball = join(root, info!.filename);
    // Built JavaScript and types only: no sources, tests, benches or examples in the tarball.
    const paths = info!.files.map((f) => f.path);
    expect(paths).toContain("dist/src/worker.js");
    expect(paths).toContain("dist/sdk/workflow.d.ts");
    expect(
      paths.filter(
        (p) => /^(test|bench|examples|sdk|src|cli)\//.test(p) || (p.endsWith(".ts") && !p.endsWith(".d.ts")),
      ),
    ).toEqual([]);
  }, 240_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it("starts a fresh project with cairn init and runs a workflow of its own", async () => {
    mkdirSync(fresh);
    write(fresh, "package.json", JSON.stringify({ name: "fresh-app", version: "1.0.0", private: true }, null, 2));
    sh(fresh, "npm", ["install", "--prefer-offline", tarball]);
    const init = sh(fresh, "npx", ["cairn", "init", "--yes"]);
    expect(init).toMatch(/created wrangler\.toml/);
    sh(fresh, "npm", ["install", "--prefer-offline"]);
    const pkg = JSON.parse(readFileSync(join(fresh, "package.json"), "utf8"));
    expect(pkg.dependencies["cairn-workflows"]).toMatch(/^file:/);

    write(fresh, "src/actions/price-order.ts", ORDER_ACTION);
    write(fresh, "src/workflows/order-total.ts", ORDER_WORKFLOW);
    sh(fresh, "npx", ["cairn", "generate", "src"]);
    // The generated tsconfig: strict, moduleResolution bundler, workers types, no @types/node.
    sh(fresh, "npx", ["tsc", "--noEmit", "-p", "."]);
    // The generated vitest setup runs the example workflow through cairn-workflows/testing.
    expect(sh(fresh, "npx", ["vitest", "run"])).toMatch(/passed/);
    sh(fresh, "npx", ["wrangler", "deploy", "--dry-run", "--outdir", join(root, "fresh-dry-run")]);

    const server = await startDevServer({ cwd: fresh });
    servers.push(server);
    const started = await post(`${server.url}/workflows/order-total?wait=20`, { quantity: 3, unitCents: 250 });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ status: "success", output: { totalCents: 750 } });

    // A plain Node script (no TypeScript, no Worker) drives it through the client.
    write(
      fresh,
      "start-run.mjs",
      `import { createClient } from "cairn-workflows/client";
const client = createClient({ url: process.argv[2] });
const run = await client.workflows.run("order-total", { quantity: 2, unitCents: 100 }, { wait: 20 });
console.log(JSON.stringify({ status: run.status, output: run.output }));
`,
    );
    const printed = JSON.parse(sh(fresh, "node", ["start-run.mjs", server.url]).trim());
    expect(printed).toMatchObject({ status: "success", output: { totalCents: 200 } });
  }, 600_000);

  it("mounts Cairn under /cairn in an existing Hono Worker", async () => {
    mkdirSync(existing);
    write(
      existing,
      "package.json",
      JSON.stringify({ name: "hono-app", version: "1.0.0", private: true, type: "module" }, null, 2),
    );
    write(
      existing,
      "wrangler.toml",
      `# my existing Worker\nname = "hono-app"\nmain = "src/index.ts"\ncompatibility_date = "2026-04-01"\n`,
    );
    const ownEntry = `import { Hono } from "hono";\nconst app = new Hono();\napp.get("/", (c) => c.text("my app"));\nexport default app;\n`;
    write(existing, "src/index.ts", ownEntry);
    // The same installed packages as the fresh project (hono comes with cairn-workflows).
    symlinkSync(join(fresh, "node_modules"), join(existing, "node_modules"), "dir");
    const init = sh(existing, "npx", ["cairn", "init", "--yes"]);
    expect(init).toMatch(/app\.route\("\/cairn"/);
    expect(readFileSync(join(existing, "src/index.ts"), "utf8")).toBe(ownEntry);
    expect(readFileSync(join(existing, "wrangler.toml"), "utf8")).toMatch(/^# my existing Worker/);
    expect(sh(existing, "npx", ["cairn", "init", "--yes"])).toMatch(/nothing to change|no changes|unchanged/i);

    write(existing, "src/actions/price-order.ts", ORDER_ACTION);
    write(existing, "src/workflows/order-total.ts", ORDER_WORKFLOW);
    // The mounting the README and init's instructions describe.
    write(
      existing,
      "src/index.ts",
      `import { Hono } from "hono";
import { cairn } from "./cairn";

const app = new Hono();
app.get("/", (c) => c.text("my app"));
app.route("/cairn", cairn.app);

export default { fetch: app.fetch, scheduled: cairn.scheduled, queue: cairn.queue };
export { AgentSessionObject, IndexObject, RunObject, TriggerStateObject, WorkflowObject } from "./cairn";
`,
    );
    const server = await startDevServer({ cwd: existing });
    servers.push(server);
    expect(await (await fetch(`${server.url}/`)).text()).toBe("my app");
    const started = await post(`${server.url}/cairn/workflows/order-total?wait=20`, { quantity: 4, unitCents: 25 });
    expect(started.status).toBe(200);
    expect(started.json).toMatchObject({ status: "success", output: { totalCents: 100 } });
    const runs = (await (await fetch(`${server.url}/cairn/runs`)).json()) as { runs: { runId: string }[] };
    expect(runs.runs.map((r) => r.runId)).toContain(started.json.runId);
    const dashboard = await fetch(`${server.url}/cairn/ui`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('href="/cairn/ui');
  }, 600_000);
});
