// Three projects: unit (plain Node), workers (inside workerd against real Durable Objects,
// SQLite, alarms and Queues), e2e (real `wrangler dev` and the `cairn` binary on loopback).
import { execFileSync } from "node:child_process";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Tests import the generated registry, so make sure it reflects src/ before anything loads.
execFileSync(process.execPath, ["scripts/generate-registry.mjs"]);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest({
            main: "./test/fixtures/worker.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                PUBLIC_URL: "http://cairn.test",
                FIXTURE_WEBHOOK_SECRET: "whsec-test",
                CAIRN_ENCRYPTION_KEY: "test-encryption-key",
              },
              // Test-only: counts fixture side effects (test/fixtures/side-effects.ts).
              durableObjects: { SIDE_EFFECTS: "SideEffectCounter" },
            },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts", "test/cli/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
