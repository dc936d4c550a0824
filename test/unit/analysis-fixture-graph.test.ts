// Pins the graph of the fixture workflow the graph route's workers test serves: the JSON file is
// what the analysis writes for it (`npx vitest run --project unit <this file> -u` refreshes it).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeWorkflowFile } from "../../cli/analysis/analyze-workflow.ts";

const path = resolve("test/fixtures/call-sites/graph-shapes.ts");

describe("the call-site fixtures' graphs", () => {
  it("graph-shapes.graph.json is the analysis of graph-shapes.ts", async () => {
    const analysis = analyzeWorkflowFile(readFileSync(path, "utf8"), path, "call-sites/graph-shapes.ts");
    expect(analysis.graphs.map((graph) => graph.slug)).toEqual(["graph-shapes", "graphless"]);
    await expect(`${JSON.stringify(analysis.graphs[0], null, 2)}\n`).toMatchFileSnapshot(
      "../fixtures/call-sites/graph-shapes.graph.json",
    );
  });
});
