import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RunSchema, SCHEMA_VERSION } from "../../src/log/migrations.ts";
import { runStub, startRun, waitForStatus } from "./helpers.ts";

type Column = { name: string };

/** The run object's tables, and whether each is WITHOUT ROWID (no second index row per insert). */
async function tablesOf(runId: string) {
  return runInDurableObject(runStub(runId), (_instance, state) =>
    state.storage.sql
      .exec<{ name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 4) != '_cf_' ORDER BY name",
      )
      .toArray()
      .map((t) => `${t.name}${/WITHOUT ROWID/i.test(t.sql) ? " (without rowid)" : ""}`),
  );
}

describe("run store schema", () => {
  it("creates only the tables a run uses, each when it first needs it", async () => {
    const plain = await startRun("fixture-greeting", { name: "Ada" });
    await waitForStatus(plain, ["success"]);
    expect(await tablesOf(plain)).toEqual(["events", "run (without rowid)"]);

    const sleeper = await startRun("fixture-sleeper", { key: crypto.randomUUID(), duration: "1h" });
    await waitForStatus(sleeper, ["sleeping"]);
    expect(await tablesOf(sleeper)).toEqual(["events", "run (without rowid)", "timers (without rowid)"]);

    const approver = await startRun("fixture-approver", { key: crypto.randomUUID() });
    await waitForStatus(approver, ["waiting_on_hook"]);
    expect(await tablesOf(approver)).toContain("hooks (without rowid)");
  });

  it("brings a run recorded with schema version 1 to the newest columns, once", async () => {
    const stub = runStub(`migrations-${crypto.randomUUID()}`);
    const result = await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const columns = (table: string) =>
        sql
          .exec<Column>(`SELECT name FROM pragma_table_info('${table}')`)
          .toArray()
          .map((c) => c.name);
      // The layout runs had before large values moved to R2 and runs recorded their version.
      sql.exec(`CREATE TABLE events (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, step_id TEXT, attempt INTEGER, at INTEGER NOT NULL, data TEXT NOT NULL);
        CREATE TABLE run (id TEXT PRIMARY KEY, workflow TEXT NOT NULL, status TEXT NOT NULL, trigger TEXT NOT NULL, origin TEXT,
          idempotency_key TEXT, input_hash TEXT NOT NULL, created_at INTEGER NOT NULL, started_at INTEGER, updated_at INTEGER NOT NULL,
          finished_at INTEGER, wake_at INTEGER, index_version INTEGER NOT NULL DEFAULT 0, indexed_version INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE timers (key TEXT PRIMARY KEY, kind TEXT NOT NULL, due_at INTEGER NOT NULL);
        CREATE TABLE hooks (step_id TEXT PRIMARY KEY, token TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, timeout_at INTEGER);
        CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version (version) VALUES (1);
        INSERT INTO events (seq, type, at, data) VALUES (1, 'run_started', 1, '{}');`);
      const schema = new RunSchema(sql);
      const version = () => sql.exec<{ version: number }>("SELECT version FROM schema_version").one().version;
      const upgraded = { version: version(), columns: [...columns("events"), ...columns("run")] };
      new RunSchema(sql); // already current: a no-op
      return {
        upgraded,
        again: version(),
        has: (["events", "run", "timers", "hooks"] as const).map((t) => schema.has(t)),
        events: sql.exec("SELECT seq FROM events").toArray().length,
      };
    });
    expect(result.upgraded.version).toBe(SCHEMA_VERSION);
    expect(result.upgraded.columns).toContain("blob_ref");
    expect(result.upgraded.columns).toContain("version");
    expect(result.again).toBe(SCHEMA_VERSION);
    expect(result.has).toEqual([true, true, true, true]);
    expect(result.events).toBe(1);
  });
});
