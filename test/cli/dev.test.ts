// `cairn dev` against a stub wrangler (CAIRN_WRANGLER): the arguments it passes, and whether it
// fires the wrangler config's crons once the server is ready (the real firing: test/e2e/local-cron.test.ts).
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cairn, tempProject } from "./support.ts";

/** Logs its arguments, says it is ready as wrangler dev does, then exits with STUB_EXIT. */
const STUB = `#!/usr/bin/env node
const { appendFileSync } = require("node:fs");
appendFileSync(process.env.STUB_LOG, process.argv.slice(2).join(" ") + "\\n");
console.log("[wrangler:info] Ready on http://127.0.0.1:8799");
process.exitCode = Number(process.env.STUB_EXIT ?? 0);
`;

function project(wranglerToml: string) {
  const dir = tempProject({ "wrangler.toml": wranglerToml, "package.json": "{}" }, "cairn-dev-");
  const stub = join(dir, "stub-wrangler.cjs");
  writeFileSync(stub, STUB);
  chmodSync(stub, 0o755);
  const log = join(dir, "calls.log");
  const run = (args: string[], env: Record<string, string> = {}) => {
    const result = cairn(["dev", ...args], dir, { CAIRN_WRANGLER: stub, STUB_LOG: log, CAIRN_DEV_CRON: "", ...env });
    return { ...result, calls: readFileSync(log, "utf8").trim().split("\n") };
  };
  return { run };
}

const withCrons = 'name = "app"\nmain = "src/index.ts"\n\n[triggers]\ncrons = ["*/5 * * * *"]\n';

describe("cairn dev", () => {
  it("runs wrangler dev on 127.0.0.1 with the arguments given, and fires the config's crons once ready", () => {
    const result = project(withCrons).run(["--port", "8799", "--persist-to", ".state"]);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual(["dev --ip 127.0.0.1 --port 8799 --persist-to .state"]);
    expect(result.stdout).toContain("Ready on http://127.0.0.1:8799");
    expect(result.stderr).toContain('[cairn] local cron: firing "*/5 * * * *" every minute');
  });

  it("leaves the crons alone with --no-cron or CAIRN_DEV_CRON=off", () => {
    const flag = project(withCrons).run(["--no-cron"]);
    expect(flag.calls).toEqual(["dev --ip 127.0.0.1"]);
    expect(flag.stderr).toContain("[cairn] local cron: turned off");
    expect(flag.stderr).not.toContain("firing");
    const env = project(withCrons).run([], { CAIRN_DEV_CRON: "off" });
    expect(env.stderr).toContain("[cairn] local cron: turned off");
  });

  it("says when the config has no crons, and exits with wrangler's exit code", () => {
    const result = project('name = "app"\nmain = "src/index.ts"\n').run([], { STUB_EXIT: "3" });
    expect(result.stderr).toContain("the wrangler config has no [triggers] crons");
    expect(result.code).toBe(3);
  });

  it("keeps an --ip given to it", () => {
    expect(project(withCrons).run(["--ip", "0.0.0.0", "--no-cron"]).calls).toEqual(["dev --ip 0.0.0.0"]);
  });
});
