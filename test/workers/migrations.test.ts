import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { migrate } from "../../src/log/migrations.ts";
import { runStub } from "./helpers.ts";

type Column = { name: string };

describe("run store migrations", () => {
  it("gives a new run the latest schema and brings an older one up to it", async () => {
    const stub = runStub(`migrations-${crypto.randomUUID()}`);
    const result = await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const version = () => sql.exec<{ version: number }>("SELECT version FROM schema_version").toArray();
      const eventColumns = () =>
        sql
          .exec<Column>("SELECT name FROM pragma_table_info('events')")
          .toArray()
          .map((c) => c.name);
      // The constructor migrated the new object in one batch.
      const fresh = { version: version(), columns: eventColumns() };
      // Back to version 1 (before large values moved to R2 and runs recorded their version), with an event in it.
      sql.exec("ALTER TABLE events DROP COLUMN blob_ref");
      sql.exec("ALTER TABLE run DROP COLUMN version");
      sql.exec("UPDATE schema_version SET version = 1");
      sql.exec("INSERT INTO events (seq, type, at, data) VALUES (1, 'run_started', 1, '{}')");
      migrate(sql);
      const runColumns = sql
        .exec<Column>("SELECT name FROM pragma_table_info('run')")
        .toArray()
        .map((c) => c.name);
      const upgraded = { version: version(), columns: [...eventColumns(), ...runColumns] };
      migrate(sql); // already current: a no-op
      return { fresh, upgraded, again: version(), events: sql.exec("SELECT seq FROM events").toArray().length };
    });
    expect(result.fresh.version).toEqual([{ version: 3 }]);
    expect(result.fresh.columns).toContain("blob_ref");
    expect(result.upgraded.version).toEqual([{ version: 3 }]);
    expect(result.upgraded.columns).toContain("blob_ref");
    expect(result.upgraded.columns).toContain("version");
    expect(result.again).toEqual([{ version: 3 }]);
    expect(result.events).toBe(1);
  });
});
