// The source files `cairn init` writes: entry, example workflow and action, test, configs.

const DO_EXPORTS =
  'export { RunObject, IndexObject, AgentSessionObject, TriggerStateObject, WorkflowObject } from "cairn-workflows/worker";';

/** The Worker entry of a new project: Cairn serves every route. */
export function indexTs(): string {
  return `import { createCairn } from "cairn-workflows/worker";
import * as definitions from "./cairn.gen";
const cairn = createCairn(definitions);
export default cairn;
${DO_EXPORTS}
`;
}

/** For an existing Worker: Cairn's handlers and classes, for the user's own entry to import. */
export function cairnTs(): string {
  return `// Cairn, created from the definitions in workflows/, actions/, agents/ and triggers/ (see cairn.gen.ts).
import { createCairn } from "cairn-workflows/worker";
import * as definitions from "./cairn.gen";

export const cairn = createCairn(definitions);
${DO_EXPORTS}
`;
}

/** What to add to an existing entry (a Hono app shown; any fetch handler can call cairn.fetch). */
export function mountingSnippet(): string {
  return `import { Hono } from "hono";
import { cairn } from "./cairn";

const app = new Hono();
app.get("/", (c) => c.text("my app"));
app.route("/cairn", cairn.app);

export default { fetch: app.fetch, scheduled: cairn.scheduled, queue: cairn.queue };
export { RunObject, IndexObject, AgentSessionObject, TriggerStateObject, WorkflowObject } from "./cairn";`;
}

/** The example workflow: one durable action step and a use of the run context. */
export function helloWorkflow(): string {
  return `// An example workflow: start it with POST /workflows/hello and {"name": "Ada"}.
import { defineWorkflow } from "cairn-workflows/workflow";
import { z } from "zod";
import { greet } from "../actions/greet";

export default defineWorkflow({
  slug: "hello",
  name: "Hello",
  description: "Greets someone by name in a durable step.",
  input: z.object({ name: z.string().min(1) }),
  output: z.object({ message: z.string(), runId: z.string() }),
  run: async ({ name }, ctx) => {
    // A recorded step: after a crash or a sleep, the run replays its output instead of calling it again.
    const { message } = await greet.run({ name });
    return { message, runId: ctx.runId };
  },
});
`;
}

/** The example action the workflow calls. */
export function greetAction(): string {
  return `// An example action: a retried, recorded step. Real ones call APIs, databases, models.
import { defineAction } from "cairn-workflows/action";
import { z } from "zod";

export const greet = defineAction({
  slug: "greet",
  description: "Builds a greeting for a name.",
  input: z.object({ name: z.string() }),
  output: z.object({ message: z.string() }),
  run: async ({ name }) => ({ message: \`Hello, \${name}!\` }),
});
`;
}

/** A test that runs the example workflow on the production driver, in plain Node. */
export function helloTest(): string {
  return `import { executeWorkflow } from "cairn-workflows/testing";
import { describe, expect, it } from "vitest";
import hello from "../src/workflows/hello";

describe("hello", () => {
  it("greets by name", async () => {
    const result = await executeWorkflow(hello, { name: "Ada" }, { runId: "run-1" });
    expect(result).toEqual({ status: "completed", output: { message: "Hello, Ada!", runId: "run-1" } });
  });
});
`;
}

export function vitestConfig(): string {
  return `import { cairnCallSites } from "cairn-workflows/vite";
import { defineConfig } from "vitest/config";

// Workflows run on Cairn's driver in plain Node (cairn-workflows/testing): no Worker runtime needed.
// cairnCallSites() gives their steps the call-site ids \`cairn generate\` gives them in the Worker.
export default defineConfig({
  plugins: [cairnCallSites()],
  test: { environment: "node", include: ["test/**/*.test.ts"] },
});
`;
}

export function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: "ES2022",
      module: "ES2022",
      moduleResolution: "bundler",
      lib: ["ES2023"],
      types: ["@cloudflare/workers-types"],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      isolatedModules: true,
    },
    include: ["src", "test"],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export function devVarsExample(): string {
  return `# Copy to .dev.vars for \`wrangler dev\`; in production set each with \`npx wrangler secret put NAME\`.
# Bearer key for the management API and dashboard (required once deployed; optional on loopback).
CAIRN_API_KEY=
# Public origin used in hook resume URLs (defaults to the origin of the request that started the run).
PUBLIC_URL=
# OpenAI key for \`openai/...\` models.
OPENAI_API_KEY=
# Optional OpenAI-compatible endpoint instead of api.openai.com.
OPENAI_BASE_URL=
# Anthropic key for \`anthropic/...\` models.
ANTHROPIC_API_KEY=
# Optional Anthropic-compatible endpoint instead of api.anthropic.com.
ANTHROPIC_BASE_URL=
`;
}

/** The lines .gitignore must hold; init appends the missing ones to an existing file. */
export function gitignoreLines(srcDir: string): string[] {
  // .cairn/ holds the call-site-instrumented copies of the workflows that `cairn generate` writes.
  return ["node_modules", ".wrangler", ".dev.vars", `${srcDir}/cairn.gen.ts`, ".cairn/"];
}
