import { runInDurableObject } from "cloudflare:test";
import { vi } from "vitest";
import { describe, expect, it } from "vitest";
import { RunSchema, SCHEMA_VERSION } from "../../src/log/migrations.ts";
import { heldStep } from "../fixtures/workflows.ts";
import { getRun, runStub, startRun, storedRunRow, waitForStatus } from "./helpers.ts";

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
    expect(await tablesOf(plain)).toEqual(["events"]);

    const sleeper = await startRun("fixture-sleeper", { key: crypto.randomUUID(), duration: "1h" });
    await waitForStatus(sleeper, ["sleeping"]);
    expect(await tablesOf(sleeper)).toEqual(["events", "timers (without rowid)"]);

    const approver = await startRun("fixture-approver", { key: crypto.randomUUID() });
    await waitForStatus(approver, ["waiting_on_hook"]);
    expect(await tablesOf(approver)).toContain("hooks (without rowid)");
  });

  it("writes a one-pass run's row only on its first and last events; it reads running in between", async () => {
    Object.assign(heldStep, { entered: false, released: false });
    const runId = await startRun("fixture-held", { key: crypto.randomUUID() });
    await vi.waitFor(() => expect(heldStep.entered).toBe(true), { timeout: 5_000, interval: 10 });
    // In flight: readers see `running`; storage still says never started (a crash here drives it again).
    expect((await getRun(runId)).status).toBe("running");
    const stored = await runInDurableObject(runStub(runId), (_i, state) => storedRunRow(state.storage.sql));
    expect(stored).toMatchObject({ status: "queued", started_at: null });
    heldStep.released = true;
    const done = await waitForStatus(runId, ["success"]);
    const rows = await runInDurableObject(runStub(runId), (_i, state) =>
      state.storage.sql
        .exec<{ seq: number; type: string; run_state: string | null }>("SELECT seq, type, run_state FROM events")
        .toArray(),
    );
    const carrying = rows.filter((r) => r.run_state !== null);
    expect(carrying.map((r) => r.type)).toEqual(["run_started", "run_completed"]);
    const last = JSON.parse(carrying[1]!.run_state!) as { status: string; started_at: number; finished_at: number };
    expect(last.status).toBe("success");
    expect(new Date(last.started_at).toISOString()).toBe((done as { startedAt?: string }).startedAt);
    expect(last.finished_at).toBeGreaterThanOrEqual(last.started_at);
  });

  it("brings a run recorded with schema version 1 to the newest layout, once: its run row moves onto its newest event", async () => {
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
        INSERT INTO events (seq, type, at, data) VALUES (1, 'run_started', 1, '{}');
        INSERT INTO events (seq, type, at, data) VALUES (2, 'sleep_started', 2, '{}');
        INSERT INTO run (id, workflow, status, trigger, input_hash, created_at, updated_at, wake_at, index_version)
          VALUES ('r1', 'w', 'sleeping', '{"type":"api"}', 'h', 1, 2, 99, 2);`);
      const schema = new RunSchema(sql);
      const version = () => sql.exec<{ version: number }>("SELECT version FROM schema_version").one().version;
      const upgraded = { version: version(), columns: columns("events"), run: columns("run") };
      new RunSchema(sql); // already current: a no-op
      return {
        upgraded,
        again: version(),
        has: (["events", "timers", "hooks"] as const).map((t) => schema.has(t)),
        states: sql.exec<{ seq: number; run_state: string | null }>("SELECT seq, run_state FROM events").toArray(),
      };
    });
    expect(result.upgraded.version).toBe(SCHEMA_VERSION);
    expect(result.upgraded.columns).toContain("blob_ref");
    expect(result.upgraded.columns).toContain("run_state");
    expect(result.upgraded.run).toEqual([]);
    expect(result.again).toBe(SCHEMA_VERSION);
    expect(result.has).toEqual([true, true, true]);
    expect(result.states.map((s) => s.seq)).toEqual([1, 2]);
    expect(result.states[0]!.run_state).toBeNull();
    expect(JSON.parse(result.states[1]!.run_state!)).toMatchObject({
      id: "r1",
      workflow: "w",
      status: "sleeping",
      trigger: '{"type":"api"}',
      wake_at: 99,
      index_version: 2,
      version: null,
    });
  });
});
