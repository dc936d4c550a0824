import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getRun, request, startRun, waitForStatus } from "./helpers.ts";

const methods = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
const segment = fc.oneof(
  fc.constantFrom("workflows", "runs", "hooks", "greeting", "events", "cancel", "expense-approval", "..", "%00", ""),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`);
const jsonish = fc.oneof(
  fc.json({ maxDepth: 6 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("{", "[1,", "\u0000", '{"name":', "null", '"x"', "1e400", '{"name":"\uD800"}'),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => new TextDecoder("latin1").decode(bytes)),
);
const query = fc.dictionary(
  fc.constantFrom("wait", "limit", "after", "status", "cursor", "workflow", "approved"),
  fc.string({ maxLength: 12 }),
  { maxKeys: 3 },
);

describe("fuzzing every route", () => {
  it("answers random requests with coded 4xx errors or success, never a 5xx, and corrupts no run", async () => {
    // A live run that random requests have no right to change.
    const bystander = await startRun("expense-approval", { employee: "fuzz", amount: 1, manager: "m", timeout: "1h" });
    await waitForStatus(bystander, ["waiting_on_hook"]);
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        methods,
        path,
        jsonish,
        query,
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", ""),
        async (method, p, body, q, type) => {
          cases++;
          const search = new URLSearchParams(q).toString();
          const hasBody = method !== "GET" && method !== "OPTIONS";
          const response = await request(`${p}${search ? `?${search}` : ""}`, {
            method,
            headers: type ? { "content-type": type } : {},
            ...(hasBody ? { body } : {}),
          });
          expect(response.status).toBeLessThan(500);
          if (response.status >= 400) {
            const text = await response.text();
            if (!(response.headers.get("content-type") ?? "").includes("text/html")) {
              const parsed = JSON.parse(text) as { error: { code: string; message: string } };
              expect(typeof parsed.error.code).toBe("string");
              expect(typeof parsed.error.message).toBe("string");
            }
          } else {
            await response.arrayBuffer();
          }
        },
      ),
      { numRuns: 300 },
    );
    const after = await getRun(bystander);
    expect(after.status).toBe("waiting_on_hook");
    expect(after.hooks).toHaveLength(1);
    console.log(`fuzz: ${cases} random requests`);
  }, 60_000);

  it("rejects random and mutated hook tokens with 404 and leaves the hook open", async () => {
    const runId = await startRun("expense-approval", { employee: "fuzz", amount: 1, manager: "m", timeout: "1h" });
    const run = await waitForStatus(runId, ["waiting_on_hook"]);
    const token = run.hooks[0]!.token!;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(..."0123456789abcdef-xZ"),
        async (index, char) => {
          fc.pre(token[index] !== char);
          const forged = `${token.slice(0, index)}${char}${token.slice(index + 1)}`;
          const response = await request(`/hooks/${encodeURIComponent(forged)}`, {
            method: "POST",
            json: { approved: true },
          });
          expect(response.status).toBe(404);
        },
      ),
      { numRuns: 200 },
    );
    expect((await getRun(runId)).status).toBe("waiting_on_hook");
  }, 60_000);
});
