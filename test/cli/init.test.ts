// `cairn init`: a runnable new project, and an existing Worker completed without losing anything of its own.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { describe, expect, it } from "vitest";
import { cairn, snapshot, tempProject } from "./support.ts";

const CAIRN_CLASSES = ["RunObject", "IndexObject", "AgentSessionObject", "TriggerStateObject", "WorkflowObject"];
const CAIRN_BINDINGS = ["RUNS", "INDEX", "SESSIONS", "TRIGGERS", "WORKFLOWS"];

interface Config {
  name: string;
  main: string;
  compatibility_date: string;
  compatibility_flags: string[];
  durable_objects: { bindings: { name: string; class_name: string }[] };
  migrations: { tag: string; new_sqlite_classes?: string[] }[];
  queues: { producers: { queue: string; binding: string }[]; consumers: { queue: string; max_batch_size: number }[] };
  r2_buckets: { binding: string; bucket_name: string }[];
  triggers: { crons: string[] };
  build: { command: string; watch_dir: string[] };
}

const toml = (dir: string) => parseToml(readFileSync(join(dir, "wrangler.toml"), "utf8")) as unknown as Config;
const json = <T>(dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), "utf8")) as T;

/** Checks every piece Cairn needs is in a parsed config, with queue and bucket named after the Worker. */
function expectCairnPieces(config: Config, worker: string) {
  expect(config.compatibility_flags).toContain("nodejs_compat");
  const bindings = new Map(config.durable_objects.bindings.map((b) => [b.name, b.class_name]));
  expect(CAIRN_BINDINGS.map((name) => bindings.get(name))).toEqual(CAIRN_CLASSES);
  expect(config.migrations.flatMap((m) => m.new_sqlite_classes ?? [])).toEqual(expect.arrayContaining(CAIRN_CLASSES));
  expect(new Set(config.migrations.map((m) => m.tag)).size).toBe(config.migrations.length);
  expect(config.queues.producers).toContainEqual({ queue: `${worker}-cairn-fanout`, binding: "FANOUT" });
  expect(config.queues.consumers).toContainEqual(
    expect.objectContaining({ queue: `${worker}-cairn-fanout`, max_batch_size: 100 }),
  );
  expect(config.r2_buckets).toContainEqual({ binding: "PAYLOADS", bucket_name: `${worker}-cairn-payloads` });
  expect(config.triggers.crons).toContain("* * * * *");
  expect(config.build.command).toBe("npx cairn generate src");
}

/** Runs init a second time and checks not one file changed and the output says so. */
function expectSecondRunIsNoOp(dir: string) {
  const before = snapshot(dir);
  const again = cairn(["init", "--yes"], dir);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain("Nothing to change");
  expect(snapshot(dir)).toEqual(before);
}

describe("cairn init in an empty folder", () => {
  it("creates a runnable project with every binding Cairn needs, and a second run changes nothing", () => {
    const dir = tempProject({}, "Cairn Demo_");
    const result = cairn(["init", "--yes", "--name", "Demo App"], dir);
    expect(result.code).toBe(0);
    const files = [
      "package.json",
      "tsconfig.json",
      "wrangler.toml",
      "src/index.ts",
      "src/workflows/hello.ts",
      "src/actions/greet.ts",
      "src/cairn.gen.ts",
      "test/hello.test.ts",
      "vitest.config.ts",
      ".dev.vars.example",
      ".gitignore",
    ];
    for (const file of files) {
      expect(existsSync(join(dir, file)), file).toBe(true);
      if (file !== "src/cairn.gen.ts") expect(result.stdout).toContain(`created ${file}`);
    }
    const pkg = json<Record<string, Record<string, string>>>(dir, "package.json");
    expect(pkg.type).toBe("module");
    expect(pkg.scripts).toEqual({
      dev: "wrangler dev",
      deploy: "cairn deploy",
      test: "vitest run",
      typecheck: "tsc --noEmit",
      generate: "cairn generate src",
    });
    const ownVersion = json<{ version: string }>(process.cwd(), "package.json").version;
    expect(pkg.dependencies).toEqual({ "cairn-workflows": `^${ownVersion}`, zod: "^4.1.0" });
    expect(pkg.devDependencies).toEqual({
      wrangler: "4.86.0",
      typescript: "5.9.3",
      vitest: "4.1.12",
      "@cloudflare/workers-types": "4.20260702.1",
    });
    const config = toml(dir);
    expect(config.name).toBe("demo-app");
    expect(config.main).toBe("src/index.ts");
    expect(config.compatibility_date).toBe("2026-04-01");
    expectCairnPieces(config, "demo-app");
    const tsconfig = json<{ compilerOptions: Record<string, unknown> }>(dir, "tsconfig.json").compilerOptions;
    expect(tsconfig).toMatchObject({ strict: true, moduleResolution: "bundler", types: ["@cloudflare/workers-types"] });
    expect(tsconfig.allowImportingTsExtensions).toBeUndefined();
    expect(readFileSync(join(dir, "src/index.ts"), "utf8")).toContain('import * as definitions from "./cairn.gen";');
    expect(readFileSync(join(dir, "src/cairn.gen.ts"), "utf8")).toContain(
      'import workflow0 from "./.cairn/workflows/hello";',
    );
    expect(readFileSync(join(dir, ".gitignore"), "utf8").split("\n")).toContain("src/cairn.gen.ts");
    expect(readFileSync(join(dir, ".gitignore"), "utf8").split("\n")).toContain(".cairn/");
    expect(result.stdout).toContain("npm install");
    expectSecondRunIsNoOp(dir);
  });

  it("names the Worker after package.json and keeps an existing cairn-workflows spec and fields", () => {
    const original = {
      name: "@acme/Billing",
      description: "mine",
      scripts: { test: "node --test" },
      dependencies: { "cairn-workflows": "file:../x.tgz", lodash: "^4.0.0" },
    };
    const dir = tempProject({ "package.json": JSON.stringify(original, null, 2) });
    const result = cairn(["init", "--yes"], dir);
    expect(result.code).toBe(0);
    const pkg = json<typeof original & { dependencies: Record<string, string> }>(dir, "package.json");
    expect(pkg).toMatchObject({ name: "@acme/Billing", description: "mine", scripts: { test: "node --test" } });
    expect(pkg.dependencies).toMatchObject({ "cairn-workflows": "file:../x.tgz", lodash: "^4.0.0", zod: "^4.1.0" });
    expect(toml(dir).queues.producers[0]?.queue).toBe("billing-cairn-fanout");
    expect(result.stdout).toContain("updated package.json");
  });
});

const EXISTING_TOML = `# Shop API: keep this comment
name = "shop-api"
main = "src/index.ts"
compatibility_date = "2025-01-01"
compatibility_flags = [
  "global_fetch_strictly_public", # strict fetches
]

[[durable_objects.bindings]]
name = "CARTS"
class_name = "Cart"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["Cart"]

[triggers]
crons = ["0 3 * * *"] # nightly report
`;

const EXISTING_ENTRY = 'export default { fetch: () => new Response("shop") };\n';

describe("cairn init in an existing Worker", () => {
  it("adds Cairn's pieces to a wrangler.toml, keeping its comments, binding, migration and cron", () => {
    const dir = tempProject({ "wrangler.toml": EXISTING_TOML, "src/index.ts": EXISTING_ENTRY });
    const result = cairn(["init", "--yes"], dir);
    expect(result.code).toBe(0);
    const text = readFileSync(join(dir, "wrangler.toml"), "utf8");
    for (const comment of ["# Shop API: keep this comment", "# strict fetches", "# nightly report"]) {
      expect(text).toContain(comment);
    }
    const config = toml(dir);
    expect(config.compatibility_date).toBe("2025-01-01");
    expect(config.compatibility_flags).toEqual(["global_fetch_strictly_public", "nodejs_compat"]);
    expect(config.durable_objects.bindings[0]).toEqual({ name: "CARTS", class_name: "Cart" });
    expect(config.migrations[0]).toEqual({ tag: "v1", new_sqlite_classes: ["Cart"] });
    expect(config.migrations[1]).toEqual({ tag: "cairn-v1", new_sqlite_classes: CAIRN_CLASSES });
    expect(config.triggers.crons).toEqual(["0 3 * * *", "* * * * *"]);
    expectCairnPieces(config, "shop-api");
    expect(readFileSync(join(dir, "src/index.ts"), "utf8")).toBe(EXISTING_ENTRY);
    expect(readFileSync(join(dir, "src/cairn.ts"), "utf8")).toContain("createCairn(definitions)");
    expect(result.stdout).toContain("updated wrangler.toml");
    expect(result.stdout).toContain('app.route("/cairn", cairn.app)');
    expectSecondRunIsNoOp(dir);
  });

  it("adds Cairn's pieces to a wrangler.jsonc, keeping its comments and its own entries", () => {
    const jsonc = `{
  // Rooms API: keep this comment
  "name": "rooms-api",
  "main": "src/index.ts",
  "compatibility_date": "2025-05-01",
  "durable_objects": {
    "bindings": [
      { "name": "ROOMS", "class_name": "Room" } // one room per id
    ]
  },
  "migrations": [{ "tag": "cairn-v1", "new_sqlite_classes": ["Room", "RunObject"] }],
  "triggers": { "crons": ["*/5 * * * *"] },
}
`;
    const dir = tempProject({ "wrangler.jsonc": jsonc, "src/index.ts": EXISTING_ENTRY });
    const result = cairn(["init", "--yes"], dir);
    expect(result.code).toBe(0);
    const text = readFileSync(join(dir, "wrangler.jsonc"), "utf8");
    expect(text).toContain("// Rooms API: keep this comment");
    expect(text).toContain("// one room per id");
    const config = parseJsonc(text) as Config;
    expect(config.durable_objects.bindings[0]).toEqual({ name: "ROOMS", class_name: "Room" });
    expect(config.triggers.crons).toEqual(["*/5 * * * *", "* * * * *"]);
    // RunObject is already declared by their migration, whose tag is also taken: a new tag, the rest only.
    expect(config.migrations[1]).toEqual({
      tag: "cairn-v2",
      new_sqlite_classes: CAIRN_CLASSES.filter((c) => c !== "RunObject"),
    });
    expectCairnPieces(config, "rooms-api");
    expect(existsSync(join(dir, "wrangler.toml"))).toBe(false);
    expect(readFileSync(join(dir, "src/index.ts"), "utf8")).toBe(EXISTING_ENTRY);
    expect(existsSync(join(dir, "src/cairn.ts"))).toBe(true);
    expectSecondRunIsNoOp(dir);
  });
});
