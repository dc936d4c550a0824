// Instrumentation: each call site's target wrapped in `__cairnSite("<id>", …)`, every other byte
// and every line number kept, imports rebased for a copy, and output that still compiles.
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { instrumentWorkflowFile } from "../../cli/analysis/analyze-workflow.ts";
import { MARK_IMPORT } from "../../cli/analysis/instrument.ts";
import { cairnCallSites } from "../../cli/vite-plugin.ts";
import { analyze, projectDir, workflowSource } from "./analysis-project.ts";

const BODY = `const item = await processItem.run({ id: input.id });
    await ctx.sleep("1h");
    const approval = ctx.hook({ timeout: "1d" });
    const [a, b] = await Promise.all([steps.ping.run({ n: 1 }), enrichLead.run({ email: "a@b.c" })]);
    await triage.prompt({ message: "hi" });
    return promptLlm("Say hi", { model: "openai/gpt-4o-mini" });`;

/** The instrumented text with the marks and the trailing import taken out again. */
function unmark(text: string): string {
  return text.replace(`${MARK_IMPORT}\n`, "").replace(/__cairnSite\("[0-9a-z]{8}", ([\w.]+)\)/g, "$1");
}

describe("instrumentation", () => {
  const source = workflowSource(BODY);
  const analysis = analyze(source);
  const output = instrumentWorkflowFile(analysis);

  it("wraps each call site's target with its id", () => {
    const [item, sleep, hook, ping, child, agent, llm] = analysis.sites.map((site) => site.id);
    expect(output).toContain(`await __cairnSite("${item}", processItem).run({ id: input.id });`);
    expect(output).toContain(`await __cairnSite("${sleep}", ctx).sleep("1h");`);
    expect(output).toContain(`__cairnSite("${hook}", ctx).hook({ timeout: "1d" })`);
    expect(output).toContain(
      `Promise.all([__cairnSite("${ping}", steps.ping).run({ n: 1 }), __cairnSite("${child}", enrichLead).run(`,
    );
    expect(output).toContain(`await __cairnSite("${agent}", triage).prompt({ message: "hi" });`);
    expect(output).toContain(`return __cairnSite("${llm}", promptLlm)("Say hi", {`);
  });

  it("keeps every other byte, and ends with the mark's import", () => {
    expect(output.endsWith(`});\n${MARK_IMPORT}\n`)).toBe(true);
    expect(unmark(output)).toBe(source);
  });

  it("keeps every line where it was", () => {
    const lines = output.split("\n");
    expect(lines.length).toBe(source.split("\n").length + 1);
    for (const site of analysis.sites) expect(lines[site.line - 1]).toContain(`__cairnSite("${site.id}"`);
  });

  it("compiles: the output transpiles without diagnostics", () => {
    const result = ts.transpileModule(output, {
      reportDiagnostics: true,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    expect(result.diagnostics ?? []).toEqual([]);
    expect(result.outputText).toContain("atCallSite as __cairnSite");
  });

  it("rebases import specifiers when asked, keeping their quotes", () => {
    const text = `${workflowSource("await ping.run();")}const lazy = () => import('./enrich-lead.ts');\n`;
    const rebased = instrumentWorkflowFile(analyze(text), {
      rebase: (specifier) => (specifier.startsWith(".") ? `../../workflows/${specifier}` : undefined),
    });
    expect(rebased).toContain('from "../../workflows/../actions/steps.ts"');
    expect(rebased).toContain("import('../../workflows/./enrich-lead.ts')");
    expect(rebased).toContain('from "cairn-workflows/workflow"');
  });

  it("leaves a file without call sites as it was", () => {
    const text = "export const helper = (n: number) => n * 2;\n";
    expect(instrumentWorkflowFile(analyze(text))).toBe(text);
  });
});

describe("the cairn-workflows/vite plugin", () => {
  const source = workflowSource(BODY);
  const path = `${projectDir()}/workflows/orders.ts`;

  it("instruments a workflow module under workflows/ as generate does", () => {
    const result = cairnCallSites().transform(source, `${path}?v=1`);
    expect(result?.code).toBe(instrumentWorkflowFile(analyze(source)));
    expect(result?.map).toBeNull();
  });

  it("leaves other modules alone: outside the include filter, without defineWorkflow, in node_modules", () => {
    const plugin = cairnCallSites();
    expect(plugin.transform(source, `${projectDir()}/actions/steps.ts`)).toBeNull();
    expect(plugin.transform("export const x = 1;", path)).toBeNull();
    expect(plugin.transform(source, "/app/node_modules/pkg/workflows/x.js")).toBeNull();
    expect(plugin.transform(source, `${path}.json`)).toBeNull();
  });

  it("takes an include filter as a RegExp or a function", () => {
    const elsewhere = `${projectDir()}/flows/orders.ts`;
    expect(cairnCallSites({ include: /\/flows\// }).transform(source, elsewhere)?.code).toContain("__cairnSite(");
    expect(
      cairnCallSites({ include: (file) => file.endsWith("orders.ts") }).transform(source, elsewhere),
    ).not.toBeNull();
    expect(cairnCallSites({ include: /\/nowhere\// }).transform(source, path)).toBeNull();
  });
});
