// A root that is not an object (a discriminated union as `outputSchema`) reaches OpenAI and
// Anthropic wrapped as `{ value }`, in the shape their documented rules accept, and the
// workflow gets the unwrapped answer. Requests go to the local mock provider server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { executeWorkflow } from "cairn-workflows/testing";
import { defineWorkflow, promptLlm } from "cairn-workflows/workflow";
import { setModelClient } from "../../../sdk/engine/model-port.ts";
import { createModelClient } from "../../../src/models/model-router.ts";
import { objectRoot, unwrapAnswer } from "../../../src/models/object-root.ts";
import { anthropicReply, type MockLlmServer, openAiReply, startMockLlmServer } from "../../support/mock-llm-server.ts";

type Schema = Record<string, unknown>;

/**
 * OpenAI structured outputs (platform.openai.com/docs/guides/structured-outputs, "Supported
 * schemas"): the root must be an object, not `anyOf`; objects set `additionalProperties: false`;
 * every property is required.
 */
function openAiRootProblems(schema: Schema): string[] {
  const problems: string[] = [];
  if (schema.type !== "object") problems.push(`root type is ${JSON.stringify(schema.type)}, not "object"`);
  for (const keyword of ["anyOf", "oneOf", "allOf", "not", "enum"])
    if (keyword in schema) problems.push(`root has ${keyword}`);
  if (schema.additionalProperties !== false) problems.push("root lacks additionalProperties: false");
  const properties = Object.keys((schema.properties as Schema | undefined) ?? {});
  const required = (schema.required as string[] | undefined) ?? [];
  if (properties.some((p) => !required.includes(p))) problems.push("a root property is not required");
  return problems;
}

/** Anthropic tool use (docs.anthropic.com, "Tool use"): `input_schema` is a JSON Schema object with `type: "object"`. */
function anthropicInputProblems(schema: Schema): string[] {
  return schema.type === "object" ? [] : [`input_schema type is ${JSON.stringify(schema.type)}, not "object"`];
}

const decision = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("refund"), amount: z.number() }),
  z.object({ kind: z.literal("reply"), text: z.string() }),
]);

const triage = (model: string) =>
  defineWorkflow({
    slug: "triage-test",
    input: z.object({ message: z.string() }),
    output: decision,
    run: async ({ message }) => promptLlm(`Triage: ${message}`, { model, outputSchema: decision }),
  });

let mock: MockLlmServer;

beforeAll(async () => {
  mock = await startMockLlmServer();
  setModelClient(
    createModelClient(() => ({
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: mock.openAiBaseUrl,
      ANTHROPIC_API_KEY: "ant-test",
      ANTHROPIC_BASE_URL: mock.url,
    })),
  );
});
afterAll(async () => {
  setModelClient(undefined);
  await mock.close();
});
beforeEach(() => {
  mock.requests.length = 0;
});

describe("a discriminated union as outputSchema", () => {
  it("reaches OpenAI wrapped in an object root its structured outputs accept, and the workflow gets the unwrapped value", async () => {
    mock.reply(openAiReply(JSON.stringify({ value: { kind: "refund", amount: 12 } })));
    const result = await executeWorkflow(triage("openai/gpt-4o-mini"), { message: "broken mug" });
    expect(result).toEqual({ status: "completed", output: { kind: "refund", amount: 12 } });

    const format = mock.requests[0]!.body.response_format as { type: string; json_schema: { schema: Schema } };
    expect(format.type).toBe("json_schema");
    const schema = format.json_schema.schema;
    expect(openAiRootProblems(schema)).toEqual([]);
    expect(schema).toMatchObject({ required: ["value"], properties: { value: { oneOf: expect.any(Array) } } });
  });

  it("reaches Anthropic as an answer tool whose input_schema is an object, and the workflow gets the unwrapped value", async () => {
    mock.reply(
      anthropicReply("", [{ id: "tu_1", name: "respond", input: { value: { kind: "reply", text: "sorry" } } }]),
    );
    const result = await executeWorkflow(triage("anthropic/claude-sonnet-4-5"), { message: "late" });
    expect(result).toEqual({ status: "completed", output: { kind: "reply", text: "sorry" } });

    const tools = mock.requests[0]!.body.tools as { name: string; input_schema: Schema }[];
    const answerTool = tools.find((t) => t.name === "respond")!;
    expect(anthropicInputProblems(answerTool.input_schema)).toEqual([]);
    expect(answerTool.input_schema).toMatchObject({ properties: { value: { oneOf: expect.any(Array) } } });
  });

  it("sends an object root unchanged and reads its answer as is", async () => {
    const flat = z.object({ funny: z.boolean() });
    const sent = z.toJSONSchema(flat, { unrepresentable: "any" });
    mock.reply(openAiReply('{"funny":true}'));
    const answer = await promptLlm("funny?", { model: "openai/gpt-4o-mini", outputSchema: flat });
    expect(answer).toEqual({ funny: true });
    expect((mock.requests[0]!.body.response_format as { json_schema: { schema: unknown } }).json_schema.schema).toEqual(
      sent,
    );
  });
});

describe("objectRoot", () => {
  it("keeps definitions at the root and points references to the old root into the wrapped value", () => {
    const { schema, wrapped } = objectRoot({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $defs: { Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } } } },
      anyOf: [{ $ref: "#/$defs/Node" }, { type: "array", items: { $ref: "#" } }],
    });
    expect(wrapped).toBe(true);
    expect(schema).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $defs: { Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } } } },
      type: "object",
      properties: {
        value: { anyOf: [{ $ref: "#/$defs/Node" }, { type: "array", items: { $ref: "#/properties/value" } }] },
      },
      required: ["value"],
      additionalProperties: false,
    });
    expect(openAiRootProblems(schema)).toEqual([]);
  });

  it("unwraps only a lone `value`, leaving any other answer for the schema check to report", () => {
    expect(unwrapAnswer('```json\n{"value":[1,2]}\n```')).toBe("[1,2]");
    expect(unwrapAnswer('{"kind":"reply","text":"hi"}')).toBe('{"kind":"reply","text":"hi"}');
    expect(unwrapAnswer("not json")).toBe("not json");
  });
});
