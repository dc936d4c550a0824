import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RunSchema } from "../../src/log/migrations.ts";
import { SqlEventLog } from "../../src/log/sql-event-log.ts";
import { runScenario, scenarios } from "../conformance/scenarios.ts";
import { runStub } from "./helpers.ts";

describe("driver conformance on the Durable Object's SqlEventLog", () => {
  for (const scenario of scenarios) {
    it(`replays "${scenario.name}" to the expected events and outcome`, async () => {
      const stub = runStub(`conformance-${crypto.randomUUID()}`);
      const result = await runInDurableObject(stub, async (_instance, state) => {
        const schema = new RunSchema(state.storage.sql);
        const first = await runScenario(scenario, await SqlEventLog.load(state.storage, schema));
        // A fresh log over the same storage must read back exactly what was written.
        const reloaded = await SqlEventLog.load(state.storage, schema);
        return { ...first, reloadedTypes: reloaded.events.map((e) => e.type) };
      });
      expect(result.types).toEqual(scenario.expected.types);
      expect(result.reloadedTypes).toEqual(scenario.expected.types);
      expect(result.outcome.status).toBe(scenario.expected.status);
      if (scenario.expected.output !== undefined)
        expect(result.outcome).toMatchObject({ output: scenario.expected.output });
    });
  }
});
