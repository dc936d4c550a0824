import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cairn-registry-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const workflow = (slug: string) => `export default defineWorkflow({\n  slug: "${slug}",\n  input, output, run });\n`;

describe("workflow discovery", () => {
  it("imports every workflow and action file without a hand-kept list, skipping tests", () => {
    const dir = project({
      "workflows/a.ts": workflow("a"),
      "workflows/b.ts": workflow("b"),
      "workflows/b.test.ts": "test",
      "actions/send.ts": "export const send = 1;",
    });
    execFileSync(process.execPath, ["scripts/generate-registry.mjs", dir]);
    const generated = readFileSync(join(dir, "registry.gen.ts"), "utf8");
    expect(generated).toContain('import workflow0 from "./workflows/a";');
    expect(generated).toContain('import workflow1 from "./workflows/b";');
    expect(generated).toContain('import * as actions0 from "./actions/send";');
    expect(generated).not.toContain("b.test");
  });

  it("fails the build when two workflows share a slug, naming both files", () => {
    const dir = project({ "workflows/one.ts": workflow("same"), "workflows/two.ts": workflow("same") });
    const result = spawnSync(process.execPath, ["scripts/generate-registry.mjs", dir], { encoding: "utf8" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('duplicate workflows slug "same"');
    expect(result.stderr).toContain("workflows/one.ts");
    expect(result.stderr).toContain("workflows/two.ts");
  });
});
