import { describe, expect, it } from "vitest";
import { request } from "./helpers.ts";
import { indexFaults } from "../fixtures/worker.ts";

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; issues?: unknown[] } };
  return { status: response.status, ...body.error };
}

describe("bad input gets a clear, coded error", () => {
  it("rejects malformed JSON with 400 invalid_json", async () => {
    const response = await request("/workflows/fixture-greeting", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name": ',
    });
    expect(await errorOf(response)).toMatchObject({ status: 400, code: "invalid_json" });
  });

  it("rejects input that fails the workflow schema with the zod issues", async () => {
    const response = await request("/workflows/fixture-greeting", { json: { name: 42 } });
    const error = await errorOf(response);
    expect(error).toMatchObject({ status: 400, code: "invalid_input" });
    expect(error.issues?.[0]).toMatchObject({ path: ["name"] });
  });

  it("answers 404 workflow_not_found for an unknown slug", async () => {
    const response = await request("/workflows/nope", { json: {} });
    expect(await errorOf(response)).toMatchObject({ status: 404, code: "workflow_not_found" });
  });

  it("answers 404 run_not_found for unknown and malformed run ids", async () => {
    for (const id of ["run_00000000000000000000000000000000", "not-a-run", "..%2F..%2Fetc"]) {
      expect(await errorOf(await request(`/runs/${id}`))).toMatchObject({ status: 404, code: "run_not_found" });
    }
    expect(
      await errorOf(await request("/runs/run_00000000000000000000000000000000/cancel", { method: "POST" })),
    ).toMatchObject({ status: 404 });
  });

  it("refuses a body over the 1 MiB limit with 413", async () => {
    const response = await request("/workflows/fixture-greeting", { json: { name: "x".repeat(1_100_000) } });
    expect(await errorOf(response)).toMatchObject({ status: 413, code: "payload_too_large" });
  });

  it("refuses a body that is not JSON with 415", async () => {
    const response = await request("/workflows/fixture-greeting", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "name=a",
    });
    expect(await errorOf(response)).toMatchObject({ status: 415, code: "unsupported_media_type" });
  });

  it("rejects bad query parameters", async () => {
    expect(await errorOf(await request("/runs?status=nonsense"))).toMatchObject({ status: 400, code: "invalid_query" });
    expect(await errorOf(await request("/runs?limit=-1"))).toMatchObject({ status: 400, code: "invalid_query" });
    expect(
      await errorOf(await request("/workflows/fixture-greeting?wait=soon", { json: { name: "a" } })),
    ).toMatchObject({
      status: 400,
      code: "invalid_query",
    });
  });

  it("answers unknown routes with a coded 404", async () => {
    expect(await errorOf(await request("/nowhere"))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("starts no run when the input is rejected", async () => {
    const before = (await (await request("/runs?workflow=fixture-greeting&limit=1000")).json()) as { runs: unknown[] };
    await request("/workflows/fixture-greeting", { json: { name: "" } });
    const after = (await (await request("/runs?workflow=fixture-greeting&limit=1000")).json()) as { runs: unknown[] };
    expect(after.runs.length).toBe(before.runs.length);
  });
});

describe("storage failures", () => {
  it("answers 503 unavailable with Retry-After when storage fails under memory pressure, and recovers", async () => {
    indexFaults.failNextList = 1;
    const failed = await request("/runs?limit=5");
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("1");
    const body = (await failed.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unavailable");
    expect(indexFaults.failNextList).toBe(0);
    // The retry the client was told to make succeeds.
    expect((await request("/runs?limit=5")).status).toBe(200);
  });
});
