// Random requests against every route, armed with the real ids and hook tokens of live runs
// (and near misses of them): none may answer 5xx or change a run it has no right to change.
import { runInDurableObject } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { guardedPayload } from "../fixtures/engine-shapes.ts";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import { getRun, request, runStub, startRun, waitForStatus } from "./helpers.ts";

const methods = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
const query = fc.dictionary(
  fc.constantFrom("wait", "limit", "after", "status", "cursor", "workflow", "approved", "code", "note", "q"),
  fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("true", "1", "open-sesame", guardedPayload.code.slice(0, -1))),
  { maxKeys: 3 },
);
const jsonish = fc.oneof(
  fc.json({ maxDepth: 6 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("{", "[1,", "\u0000", '{"name":', "null", '"x"', "1e400", '{"name":"\uD800"}'),
  // Payloads shaped like the guarded hook's, each one wrong in one way.
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      JSON.stringify({ code: "open-sesame-40", note: "x" }),
      JSON.stringify({ code: guardedPayload.code }),
      JSON.stringify({ code: guardedPayload.code.toUpperCase(), note: "x" }),
      JSON.stringify({ code: guardedPayload.code, note: 7 }),
      JSON.stringify([guardedPayload]),
      JSON.stringify({ approved: true }),
    ),
  },
  fc.uint8Array({ maxLength: 200 }).map((bytes) => new TextDecoder("latin1").decode(bytes)),
);

/** `value` with the character at `index` replaced by another hex digit. */
function flip(value: string, index: number): string {
  const i = (index + value.length) % value.length;
  return `${value.slice(0, i)}${value[i] === "0" ? "1" : "0"}${value.slice(i + 1)}`;
}

type Live = { runId: string; token: string; hookId: string };

async function startGuarded(key: string): Promise<Live> {
  const runId = await startRun("fixture-guarded", { key });
  const run = await waitForStatus(runId, ["waiting_on_hook"]);
  return { runId, token: run.hooks[0]!.token!, hookId: run.hooks[0]!.id };
}

/** Everything durable about a run: its event log, hooks and timers, row for row. */
function snapshot(runId: string) {
  return runInDurableObject(runStub(runId), (_instance, state) => {
    const all = (sql: string) => state.storage.sql.exec(sql).toArray();
    return {
      events: all("SELECT * FROM events ORDER BY seq"),
      hooks: all("SELECT * FROM hooks ORDER BY step_id"),
      timers: all("SELECT * FROM timers ORDER BY key"),
    };
  });
}

/** The real identifiers of the bystander and near misses of them that a forger would try. */
function targetsOf(bystander: Live, other: Live): string[] {
  const [objectId, secret] = bystander.token.split("-") as [string, string];
  const [otherObjectId, otherSecret] = other.token.split("-") as [string, string];
  return [
    bystander.runId,
    bystander.token,
    bystander.hookId,
    objectId,
    flip(bystander.runId, -1),
    flip(bystander.runId, 0),
    `${objectId}-${flip(secret, -1)}`,
    `${objectId}-${flip(secret, 0)}`,
    `${flip(objectId, 5)}-${secret}`,
    `${objectId}-${otherSecret}`,
    `${otherObjectId}-${secret}`,
    bystander.token.toUpperCase(),
    `${bystander.token}0`,
    bystander.token.slice(0, -1),
    `${objectId}-`,
    `${bystander.token}%2F..`,
  ];
}

describe("fuzzing every route", () => {
  it("answers random requests with coded 4xx errors or success, never a 5xx, and corrupts no run", async () => {
    const key = crypto.randomUUID();
    const bystander = await startGuarded(`${key}:bystander`);
    const other = await startGuarded(`${key}:other`);
    const before = await Promise.all([snapshot(bystander.runId), snapshot(other.runId)]);
    expect(await sideEffectCount(`${key}:bystander:sent`)).toBe(1);
    const targets = targetsOf(bystander, other);
    const target = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(bystander.runId, bystander.token) },
      { weight: 2, arbitrary: fc.constantFrom(...targets) },
    );
    const segment = fc.oneof(
      { weight: 2, arbitrary: target },
      fc.constantFrom("workflows", "runs", "hooks", "events", "cancel", "ui", "fixture-guarded", "..", "%00", ""),
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
    );
    const route = fc.oneof(
      { weight: 3, arbitrary: fc.constant((t: string) => `/hooks/${t}`) },
      fc.constantFrom(
        (t: string) => `/runs/${t}`,
        (t: string) => `/runs/${t}/events`,
        (t: string) => `/runs/${t}/cancel`,
        (t: string) => `/ui/runs/${t}`,
        (t: string) => `/ui/runs/${t}/cancel`,
        (t: string) => `/ui/runs/${t}/hooks/${bystander.hookId}`,
      ),
    );
    // Half the requests put a target where a route reads a run id or a hook token, mostly with
    // the methods those routes answer.
    const request_ = fc.oneof(
      fc.tuple(
        methods,
        fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
      ),
      fc.tuple(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom("GET", "POST") }, methods),
        fc.tuple(route, target).map(([at, t]) => at(t)),
      ),
    );
    let cases = 0;
    let reached = 0;
    let exact = 0;
    let atHook = 0;
    await fc.assert(
      fc.asyncProperty(
        request_,
        jsonish,
        query,
        fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", ""),
        async ([method, p], body, q, type) => {
          // Canceling a run by its id is a right the API grants, not a corruption.
          fc.pre(!(method === "POST" && p.replace(/\/$/, "") === `/runs/${bystander.runId}/cancel`));
          fc.pre(!(method === "POST" && p.replace(/\/$/, "") === `/runs/${other.runId}/cancel`));
          cases++;
          if (targets.some((t) => p.includes(t))) reached++;
          if (p.includes(bystander.runId) || p.includes(bystander.token)) exact++;
          if (p === `/hooks/${bystander.token}`) atHook++;
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
            // The dashboard answers browsers (its CSRF refusal is a plain-text 403); the API answers coded JSON.
            const dashboard = p.startsWith("/ui/") || p === "/ui";
            if (!dashboard && !(response.headers.get("content-type") ?? "").includes("text/html")) {
              const parsed = JSON.parse(text) as { error: { code: string; message: string } };
              expect(typeof parsed.error.code).toBe("string");
              expect(typeof parsed.error.message).toBe("string");
            }
          } else {
            await response.arrayBuffer();
          }
        },
      ),
      { numRuns: 600 },
    );
    // The property only means something if the requests did reach the runs.
    expect(reached).toBeGreaterThan(200);
    expect(exact).toBeGreaterThan(100);
    expect(atHook).toBeGreaterThan(10);
    console.log(
      `fuzz: ${cases} requests, ${reached} at a target, ${exact} at the bystander's id or token, ${atHook} at its hook`,
    );

    expect(await snapshot(bystander.runId)).toEqual(before[0]);
    expect(await snapshot(other.runId)).toEqual(before[1]);
    // And the bystander still finishes the way it was meant to, each step run once. (The counter
    // object keeps its counts in memory and may have been evicted while idle during the fuzzing,
    // so the step before the hook is checked in the log; the one after it by its count.)
    const resumed = await request(`/hooks/${bystander.token}`, { json: guardedPayload });
    expect(resumed.status).toBe(200);
    const run = await waitForStatus(bystander.runId, ["success", "failed"]);
    expect(run).toMatchObject({ status: "success", output: { note: guardedPayload.note } });
    expect(run.steps.filter((s) => s.id.startsWith("tally#")).map((s) => [s.id, s.status, s.attempts])).toEqual([
      ["tally#0", "completed", 1],
      ["tally#1", "completed", 1],
    ]);
    expect(await sideEffectCount(`${key}:bystander:after`)).toBe(1);
    expect((await getRun(other.runId)).status).toBe("waiting_on_hook");
  }, 120_000);

  it("rejects random and mutated hook tokens with 404 and leaves the hook open", async () => {
    const { runId, token } = await startGuarded(crypto.randomUUID());
    const before = await snapshot(runId);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(..."0123456789abcdef-xZ"),
        async (index, char) => {
          fc.pre(token[index] !== char);
          const forged = `${token.slice(0, index)}${char}${token.slice(index + 1)}`;
          const response = await request(`/hooks/${encodeURIComponent(forged)}`, {
            method: "POST",
            json: guardedPayload,
          });
          expect(response.status).toBe(404);
        },
      ),
      { numRuns: 200 },
    );
    expect((await getRun(runId)).status).toBe("waiting_on_hook");
    expect(await snapshot(runId)).toEqual(before);
  }, 120_000);
});
