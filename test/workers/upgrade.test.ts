// Upgrades: storage written by the previous release (0.1.0, run store schema version 1 rows) is
// carried forward by this release's migrations, and the run finishes where it was.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { inputHash } from "../../sdk/engine/input-hash.ts";
import { sideEffectCount } from "../fixtures/side-effects.ts";
import { request, runStub, testEnv, waitForStatus } from "./helpers.ts";

/** The run store's tables as release 0.1.0 first created them (schema version 1). */
const SCHEMA_V1 = `
  CREATE TABLE events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, step_id TEXT, attempt INTEGER, at INTEGER NOT NULL, data TEXT NOT NULL);
  CREATE TABLE run (id TEXT PRIMARY KEY, workflow TEXT NOT NULL, status TEXT NOT NULL, trigger TEXT NOT NULL, origin TEXT,
    idempotency_key TEXT, input_hash TEXT NOT NULL, created_at INTEGER NOT NULL, started_at INTEGER, updated_at INTEGER NOT NULL,
    finished_at INTEGER, wake_at INTEGER, index_version INTEGER NOT NULL DEFAULT 0, indexed_version INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE timers (key TEXT PRIMARY KEY, kind TEXT NOT NULL, due_at INTEGER NOT NULL);
  CREATE TABLE hooks (step_id TEXT PRIMARY KEY, token TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, timeout_at INTEGER);
  CREATE TABLE schema_version (version INTEGER NOT NULL);
  INSERT INTO schema_version (version) VALUES (1);`;

describe("upgrading from 0.1.0", () => {
  it("finishes a run that 0.1.0 left sleeping, without running its completed step again", async () => {
    const runId = `run_${crypto.randomUUID().replaceAll("-", "")}`;
    const key = crypto.randomUUID();
    const t = Date.now() - 60_000;
    const wakeAt = t + 3_600_000;
    const stepInput = { key: `${key}:before`, value: 0 };
    // The rows a 0.1.0 run object wrote for fixture-sleeper after its first step, asleep for 1h:
    // compact event rows (type, step id and attempt in their columns), a sleeping run row and
    // the sleep's timer. Nothing of this release's code wrote them.
    const rows: [number, string, string | null, number | null, string][] = [
      [
        1,
        "run_started",
        null,
        null,
        JSON.stringify({
          workflow: "fixture-sleeper",
          input: { key, duration: "1h" },
          trigger: { type: "api" },
          triggeredAt: t,
        }),
      ],
      [
        2,
        "step_started",
        "counted-step#0",
        1,
        JSON.stringify({ kind: "action", inputHash: inputHash(stepInput), policy: [3, 1000, 2, 300000] }),
      ],
      [3, "step_completed", "counted-step#0", null, JSON.stringify({ output: { value: 1 } })],
      [4, "sleep_started", "sleep#0", null, JSON.stringify({ wakeAt })],
    ];
    await runInDurableObject(runStub(runId), async (_instance, state) => {
      const sql = state.storage.sql;
      for (const table of ["events", "run", "timers", "hooks", "schema_version"])
        sql.exec(`DROP TABLE IF EXISTS ${table}`);
      sql.exec(SCHEMA_V1);
      for (const [seq, type, stepId, attempt, data] of rows)
        sql.exec(
          "INSERT INTO events (seq, type, step_id, attempt, at, data) VALUES (?, ?, ?, ?, ?, ?)",
          seq,
          type,
          stepId,
          attempt,
          t + seq,
          data,
        );
      sql.exec(
        `INSERT INTO run (id, workflow, status, trigger, origin, idempotency_key, input_hash, created_at, started_at, updated_at, wake_at, index_version, indexed_version)
         VALUES (?, 'fixture-sleeper', 'sleeping', '{"type":"api"}', NULL, NULL, 'h', ?, ?, ?, ?, 3, 3)`,
        runId,
        t,
        t,
        t + 4,
        wakeAt,
      );
      sql.exec("INSERT INTO timers (key, kind, due_at) VALUES ('sleep:sleep#0', 'sleep', ?)", wakeAt);
      await state.storage.setAlarm(wakeAt);
    });
    // A new deploy: the object starts from storage with this release's code.
    await evictDurableObject(runStub(runId));
    const before = (await (await request(`/runs/${runId}`)).json()) as {
      status: string;
      steps: { id: string; status: string }[];
    };
    expect(before.status).toBe("sleeping");
    expect(before.steps.map((s) => [s.id, s.status])).toEqual([
      ["counted-step#0", "completed"],
      ["sleep#0", "sleeping"],
    ]);

    expect(await runDurableObjectAlarm(runStub(runId))).toBe(true);
    const done = await waitForStatus(runId, ["success", "failed"]);
    expect(done.status).toBe("success");
    expect(done.output).toEqual({ done: true });
    expect(await sideEffectCount(`${key}:before`)).toBe(0);
    expect(await sideEffectCount(`${key}:after`)).toBe(1);
    const version = await runInDurableObject(
      runStub(runId),
      (_i, state) => state.storage.sql.exec<{ version: number }>("SELECT version FROM schema_version").one().version,
    );
    // The latest schema: v3 added the run's version column (decision 0018).
    expect(version).toBe(3);
  });

  it("keeps an agent session's 0.1.0 history when a new turn is appended", async () => {
    const sessionId = crypto.randomUUID();
    const stub = testEnv.SESSIONS.get(testEnv.SESSIONS.idFromName(sessionId));
    const old = [
      { role: "system", content: "be brief" },
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ];
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE IF EXISTS turns");
      sql.exec("DELETE FROM messages");
      for (const [seq, message] of old.entries())
        sql.exec("INSERT INTO messages (seq, data) VALUES (?, ?)", seq, JSON.stringify(message));
    });
    await evictDurableObject(stub);
    expect(await stub.load()).toEqual(old);
    await stub.append({ key: "turn-1", messages: [{ role: "user", content: "again" }] });
    expect((await stub.load()).map((m: { content: unknown }) => m.content)).toEqual([
      "be brief",
      "hi",
      "hello",
      "again",
    ]);
  });
});
