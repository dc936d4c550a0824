import { describe, expect, it } from "vitest";
import { MemoryEventLog } from "cairn-workflows/testing";
import { runScenario, scenarios } from "../conformance/scenarios.ts";

describe("driver conformance on MemoryEventLog", () => {
  for (const scenario of scenarios) {
    it(`replays "${scenario.name}" to the expected events and outcome`, async () => {
      const { outcome, types } = await runScenario(scenario, new MemoryEventLog());
      expect(types).toEqual(scenario.expected.types);
      expect(outcome.status).toBe(scenario.expected.status);
      if (scenario.expected.output !== undefined) expect(outcome).toMatchObject({ output: scenario.expected.output });
    });
  }
});
