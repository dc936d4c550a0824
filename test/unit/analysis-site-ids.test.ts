// Call-site ids: stable when other calls are added, removed or moved and when the file is
// reformatted; changed when the call's own arguments change. The graph's version likewise.
import { describe, expect, it } from "vitest";
import { shortHash } from "../../cli/analysis/hash.ts";
import { analyze, idsByLabel, workflowSource } from "./analysis-project.ts";

const BASE = `const item = await processItem.run({ id: input.id });
    await ctx.sleep("1h");
    if (item.ok) {
      await sendNotice.run({ to: "ops", id: item.id });
    }
    return promptLlm(\`Summarize \${item.id}\`, { model: "openai/gpt-4o-mini" });`;

const base = idsByLabel(workflowSource(BASE));

/** The id of the call whose label starts with `prefix`. */
function idOf(ids: Record<string, string>, prefix: string): string | undefined {
  return Object.entries(ids).find(([label]) => label.startsWith(prefix))?.[1];
}

describe("call-site ids", () => {
  it("are 8 base-36 characters, one per call site", () => {
    expect(Object.values(base)).toHaveLength(4);
    for (const id of Object.values(base)) expect(id).toMatch(/^[0-9a-z]{8}$/);
    expect(new Set(Object.values(base)).size).toBe(4);
  });

  it("do not change when an unrelated call is added before and after", () => {
    const edited = workflowSource(
      `await ping.run({ first: true });\n${BASE.replace("return ", "await ping.run();\n    return ")}`,
    );
    const ids = idsByLabel(edited);
    for (const [label, id] of Object.entries(base)) expect(ids[label]).toBe(id);
    expect(Object.keys(ids)).toHaveLength(6);
  });

  it("do not change when a call of the same action is added before an existing one", () => {
    const ids = idsByLabel(workflowSource(`await processItem.run({ id: "warm-up" });\n${BASE}`));
    expect(ids["processItem.run({ id: input.id })"]).toBe(base["processItem.run({ id: input.id })"]);
    expect(ids['processItem.run({ id: "warm-up" })']).toBeDefined();
    expect(ids['processItem.run({ id: "warm-up" })']).not.toBe(base["processItem.run({ id: input.id })"]);
  });

  it("do not change when a call is removed or moved elsewhere", () => {
    const removed = idsByLabel(workflowSource(BASE.replace('await ctx.sleep("1h");', "")));
    expect(idOf(removed, "sendNotice")).toBe(idOf(base, "sendNotice"));
    const moved = idsByLabel(
      workflowSource(
        BASE.replace('await ctx.sleep("1h");', "").replace("return ", 'await ctx.sleep("1h");\n    return '),
      ),
    );
    expect(idOf(moved, "ctx.sleep")).toBe(idOf(base, "ctx.sleep"));
    expect(idOf(moved, "processItem")).toBe(idOf(base, "processItem"));
  });

  it("do not change when the file is reformatted: whitespace, comments, quotes, trailing commas", () => {
    const reformatted = `const item = await processItem.run({
      // the input's id
      id: input.id,
    });
    await ctx.sleep('1h'); /* an hour */
    if (item.ok) await sendNotice.run({ to: 'ops', id: item.id, });
    return promptLlm(
      \`Summarize \${item.id}\`,
      { model: "openai/gpt-4o-mini" },
    );`;
    const analysis = analyze(workflowSource(reformatted));
    expect(analysis.sites.map((site) => site.id).sort()).toEqual(Object.values(base).sort());
    expect(analysis.graphs[0]?.version).toBe(analyze(workflowSource(BASE)).graphs[0]?.version);
  });

  it("do not change when ctx or promptLlm are renamed", () => {
    const renamed = workflowSource(
      BASE.replaceAll("ctx.", "context.").replaceAll("promptLlm(", "llm("),
      "input, context",
    ).replace("import { defineWorkflow, promptLlm }", "import { defineWorkflow, promptLlm as llm }");
    expect(analyze(renamed).sites.map((site) => site.id)).toEqual(Object.values(base));
  });

  it("change when the call's own arguments change, and only that call's", () => {
    const ids = idsByLabel(workflowSource(BASE.replace('ctx.sleep("1h")', 'ctx.sleep("2h")')));
    expect(idOf(ids, "ctx.sleep")).not.toBe(idOf(base, "ctx.sleep"));
    expect(idOf(ids, "processItem")).toBe(idOf(base, "processItem"));
    expect(idOf(ids, "sendNotice")).toBe(idOf(base, "sendNotice"));
  });

  it("differ for two identical calls, and the first keeps its id when a third is appended", () => {
    const two = analyze(workflowSource("await ping.run();\n    await ping.run();")).sites.map((site) => site.id);
    expect(new Set(two).size).toBe(2);
    const three = analyze(workflowSource("await ping.run();\n    await ping.run();\n    await ping.run();")).sites;
    expect(three.map((site) => site.id).slice(0, 2)).toEqual(two);
  });

  it("depend on the workflow's slug, so two workflows never share one", () => {
    const other = analyze(workflowSource(BASE).replace('slug: "orders"', 'slug: "returns"'));
    for (const site of other.sites) expect(Object.values(base)).not.toContain(site.id);
  });
});

describe("the graph version", () => {
  const version = (body: string) => analyze(workflowSource(body)).graphs[0]?.version;

  it("changes when a step or a branch is added, or a condition changes", () => {
    const before = version(BASE);
    expect(version(`${BASE.replace("return", "await ping.run();\n    return")}`)).not.toBe(before);
    expect(version(BASE.replace("if (item.ok)", "if (!item.ok)"))).not.toBe(before);
    expect(version(BASE.replace("if (item.ok) {", "if (item.ok) {\n      if (item.big) await ping.run();"))).not.toBe(
      before,
    );
  });

  it("does not change when only code between steps changes", () => {
    expect(version(BASE.replace("const item", "console.log('start');\n    const item"))).toBe(version(BASE));
  });
});

describe("shortHash", () => {
  it("is stable, 8 characters, and separates its parts", () => {
    expect(shortHash(["a", "b"])).toBe(shortHash(["a", "b"]));
    expect(shortHash(["ab", "c"])).not.toBe(shortHash(["a", "bc"]));
    expect(shortHash([""])).toMatch(/^[0-9a-z]{8}$/);
  });
});
