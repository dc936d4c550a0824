// Runs the test suite (`npm test`) and ends with one plain line, "tests: N passed, N failed",
// so CI logs state what ran. Exits with the suite's own status.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const report = join(tmpdir(), `cairn-vitest-${process.pid}.json`);
const result = spawnSync(
  "npm",
  ["test", "--", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`],
  { stdio: "inherit" },
);
let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests;
  failed = json.numFailedTests;
  rmSync(report);
} catch {
  failed = Math.max(failed, 1);
}
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(result.status ?? 1);
