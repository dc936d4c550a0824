// A misconfigured deploy answers every request with a coded error naming the variable.
import { createExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../fixtures/worker.ts";
import { testEnv } from "./helpers.ts";

type Fetch = (request: Request, env: unknown, ctx: ExecutionContext) => Promise<Response> | Response;

describe("configuration", () => {
  it("answers 500 invalid_config naming CAIRN_RETENTION_DAYS when it is not a number of days", async () => {
    const env = { ...testEnv, CAIRN_RETENTION_DAYS: "30d" };
    const response = await (worker.fetch as Fetch)(
      new Request("http://cairn.test/workflows/fixture-greeting", {
        method: "POST",
        body: JSON.stringify({ name: "Ada" }),
      }),
      env,
      createExecutionContext(),
    );
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("invalid_config");
    expect(body.error.message).toMatch(/^CAIRN_RETENTION_DAYS: "30d" is not a number of days; set it to e\.g\. "30"/);
  });

  it("serves requests when the configuration is valid", async () => {
    const env = { ...testEnv, CAIRN_RETENTION_DAYS: "7" };
    const response = await (worker.fetch as Fetch)(
      new Request("http://cairn.test/workflows"),
      env,
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
  });
});
