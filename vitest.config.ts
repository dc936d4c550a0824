// Three projects: unit (plain Node), workers (inside workerd against real Durable Objects,
// SQLite, alarms and Queues), e2e (real `wrangler dev` and the `cairn` binary on loopback).
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";
import { cairnCallSites } from "./cli/vite-plugin.ts";

// `cairn-workflows/...` imports (examples, fixtures) resolve to this repository's sources, as the
// package.json exports' "cairn-source" condition says, never to a stale dist/ build.
const source = {
  resolve: { conditions: ["cairn-source", ...defaultClientConditions] },
  ssr: { resolve: { conditions: ["cairn-source", ...defaultServerConditions] } },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...source,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          // Type tests (`expectTypeOf`, `@ts-expect-error`) pin the public types; a widening fails the run.
          typecheck: { enabled: true, include: ["test/types/**/*.test-d.ts"], tsconfig: "./test/types/tsconfig.json" },
        },
      },
      {
        ...source,
        plugins: [
          // Fixture workflows written to test call-site ids run instrumented, as generated code is.
          cairnCallSites({ include: /[\\/]test[\\/]fixtures[\\/]call-sites[\\/]/ }),
          cloudflareTest({
            main: "./test/fixtures/worker.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                CAIRN_ALLOW_UNAUTHENTICATED: "true",
                // The tests' host may name resume URLs (PUBLIC_URL would hide the base path under test).
                CAIRN_ALLOWED_HOSTS: "cairn.test",
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
          // The first request of a file loads the whole Worker into workerd: on a busy 2-core
          // machine that alone can take seconds, which is not a test failing.
          testTimeout: 20_000,
          include: ["test/workers/**/*.test.ts"],
          // A model server on the host speaking the OpenAI protocol (its URL: inject("llmBaseUrl")).
          globalSetup: ["./test/support/scripted-llm-setup.ts"],
        },
      },
      {
        ...source,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...source,
        test: {
          name: "cli",
          include: ["test/cli/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
    // The e2e and CLI files mostly wait on the wrangler dev servers and binaries they start (each on
    // its own port and storage): two files at a time, one per core, instead of vitest's default of
    // one worker on a 2-core machine.
    maxWorkers: 2,
  },
});
