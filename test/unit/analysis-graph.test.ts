// The build-time analysis on a table of workflow shapes: the step kinds and names it finds, and
// the graph (sequence, branches, loops, parallel branches, fan-out blocks) it draws.
import { describe, expect, it } from "vitest";
import { analyze, outline, workflowSource } from "./analysis-project.ts";

const table: { shape: string; body: string; params?: string; graph: unknown }[] = [
  {
    shape: "a sequence of actions, resolved to their slugs",
    body: `const a = await processItem.run({ id: input.id });
    await ping.run();
    return a;`,
    graph: ["action:process-item", "action:ping"],
  },
  {
    shape: "an action exported under another name, and one reached through a namespace import",
    body: `await sendNotice.run({ to: "ops" });
    await steps.ping.run({ n: 1 });`,
    graph: ["action:notify", "action:ping"],
  },
  {
    shape: "if / else if / else, one arm per condition",
    body: `if (input.total > 100) {
      await processItem.run({ id: "big" });
    } else if (input.rush) {
      await ping.run({ rush: true });
    } else {
      await ping.run();
    }`,
    graph: [
      {
        if: "input.total > 100",
        arms: [
          { "input.total > 100": "action:process-item" },
          { "input.rush": "action:ping" },
          { else: "action:ping" },
        ],
      },
    ],
  },
  {
    shape: "switch, one arm per clause",
    body: `switch (input.tier) {
      case "gold":
        await processItem.run({ gold: true });
        break;
      default:
        await ping.run();
    }`,
    graph: [{ switch: "input.tier", arms: [{ 'case "gold"': "action:process-item" }, { default: "action:ping" }] }],
  },
  {
    shape: "for-of over the input, a step per item, then one more step",
    body: `for (const item of input.items) {
      await processItem.run(item);
    }
    await ping.run({ done: true });`,
    graph: [{ "for-of": "const item of input.items", body: "action:process-item" }, "action:ping"],
  },
  {
    shape: "the specification's example: promptLlm per item in for-of, then one action",
    body: `const summaries = [];
    for (const post of input.posts) {
      summaries.push(await promptLlm(\`Summarize: \${post}\`, { model: "openai/gpt-4o-mini" }));
    }
    await sendNotice.run({ text: summaries.join("\\n") });`,
    graph: [{ "for-of": "const post of input.posts", body: "llm:llm" }, "action:notify"],
  },
  {
    shape: "while and for loops",
    body: `let n = 0;
    while (n < 3) { await ping.run({ n }); n++; }
    for (let i = 0; i < 2; i++) await processItem.run({ i });`,
    graph: [
      { while: "n < 3", body: "action:ping" },
      { for: "let i = 0; i < 2; i++", body: "action:process-item" },
    ],
  },
  {
    shape: "a literal Promise.all: one parallel branch per element",
    body: `const [a, b] = await Promise.all([processItem.run({ id: 1 }), ping.run()]);`,
    graph: [{ parallel: "Promise.all", branches: ["action:process-item", "action:ping"] }],
  },
  {
    shape: "a computed Promise.all(xs.map(...)): one fan-out block holding what each element runs",
    body: `await Promise.all(input.items.map(async (item) => {
      const done = await processItem.run(item);
      await ping.run({ id: done.id });
    }));`,
    graph: [
      {
        "fan-out": "Promise.all(input.items.map(…))",
        body: ["action:process-item", "action:ping"],
      },
    ],
  },
  {
    shape: "sleeps, hooks and a patch check on ctx, whatever the parameter is called",
    params: "input, context",
    body: `await context.sleep("1h");
    const approval = context.hook({ timeout: "1d" });
    if (context.patched("v2-discount")) await ping.run();
    await approval;`,
    graph: [
      "sleep:sleep",
      "hook:hook",
      "patch:v2-discount",
      { if: 'context.patched("v2-discount")', arms: [{ 'context.patched("v2-discount")': "action:ping" }] },
    ],
  },
  {
    shape: "a sub-workflow, an agent turn and an LLM call",
    body: `const lead = await enrichLead.run({ email: input.email });
    const verdict = await triage.prompt({ message: lead.company });
    return promptLlm("Say hi", { model: "openai/gpt-4o-mini" });`,
    graph: ["workflow:enrich-lead", "agent:triage", "llm:llm"],
  },
  {
    shape: "try / catch as two arms (compensation)",
    body: `const r = await processItem.run({ reserve: 1 });
    try {
      await ping.run({ charge: 1 });
    } catch (error) {
      await sendNotice.run({ release: r });
    }`,
    graph: [
      "action:process-item",
      { try: "try", arms: [{ try: "action:ping" }, { "catch (error)": "action:notify" }] },
    ],
  },
  {
    shape: "a ternary holding steps as an if branch",
    body: `const out = input.fast ? await ping.run() : await processItem.run({});`,
    graph: [{ if: "input.fast", arms: [{ "input.fast": "action:ping" }, { else: "action:process-item" }] }],
  },
  {
    shape: "a call the analysis cannot resolve: kind step, named by its callee",
    body: `await vendor.billing.run({ amount: 1 });`,
    graph: ["step:vendor.billing"],
  },
  {
    shape: "plain code and control flow without steps: no nodes",
    body: `if (input.x) console.log("x");
    for (const y of input.ys) console.log(y);
    return ping.run();`,
    graph: ["action:ping"],
  },
];

describe("the workflow graph", () => {
  for (const row of table) {
    it(`draws ${row.shape}`, () => {
      const [graph] = analyze(workflowSource(row.body, row.params)).graphs;
      expect(graph?.slug).toBe("orders");
      expect(outline(graph!.root)).toEqual(row.graph);
    });
  }

  it("gives each step node its site id, the call as written and its line", () => {
    const analysis = analyze(workflowSource(`await processItem.run({ id: 1 });\n    await ctx.sleep("1h");`));
    const [graph] = analysis.graphs;
    expect(graph?.file).toBe("workflows/orders.ts");
    expect(graph?.root).toEqual({
      type: "sequence",
      children: [
        {
          type: "step",
          site: analysis.sites[0]!.id,
          kind: "action",
          name: "process-item",
          label: "processItem.run({ id: 1 })",
          line: 12,
        },
        { type: "step", site: analysis.sites[1]!.id, kind: "sleep", name: "sleep", label: 'ctx.sleep("1h")', line: 13 },
      ],
    });
    expect(analysis.sites.map((site) => site.id)).toEqual([
      expect.stringMatching(/^[0-9a-z]{8}$/),
      expect.stringMatching(/^[0-9a-z]{8}$/),
    ]);
  });

  it("finds no sites in helper functions outside the run body (they keep per-name ids)", () => {
    const text = workflowSource("await helper();").replace(
      "export default",
      "async function helper() { await ping.run(); }\nexport default",
    );
    expect(analyze(text).sites).toEqual([]);
    expect(analyze(text).graphs[0]?.root).toEqual({ type: "sequence", children: [] });
  });

  it("analyses a run written as a method, and skips a workflow whose slug is not a literal", () => {
    const method = workflowSource("await ping.run();").replace(
      "run: async (input, ctx) => {",
      "async run(input, ctx) {",
    );
    expect(outline(analyze(method).graphs[0]!.root)).toEqual(["action:ping"]);
    const computed = workflowSource("await ping.run();").replace('slug: "orders"', "slug: makeSlug()");
    expect(analyze(computed).graphs).toEqual([]);
  });

  it("resolves a slug held in a same-file constant", () => {
    const text = workflowSource("await ping.run();")
      .replace('slug: "orders"', "slug: SLUG")
      .replace("export default", 'const SLUG = "orders-v2";\nexport default');
    expect(analyze(text).graphs[0]?.slug).toBe("orders-v2");
  });
});
