import { describe, expectTypeOf, it } from "vitest";
import type { CairnOptions } from "../../src/worker.ts";
import * as generated from "../fixtures/cairn-gen-shape.ts";
import { greeting } from "../fixtures/engine-shapes.ts";

describe("createCairn's options", () => {
  it("accept a generated definitions module's namespace as is", () => {
    expectTypeOf(generated).toExtend<CairnOptions>();
  });

  it("accept typed workflows and a base path, and refuse a workflow where an agent goes", () => {
    expectTypeOf({ workflows: [greeting], basePath: "/cairn" }).toExtend<CairnOptions>();
    expectTypeOf({ agents: [greeting] }).not.toExtend<CairnOptions>();
    expectTypeOf({ basePath: 42 }).not.toExtend<CairnOptions>();
  });
});
