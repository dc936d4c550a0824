// The run store's schema, versioned: each migration runs once, in order, in the constructor.
import { query, run } from "./sql.ts";

const MIGRATIONS: string[] = [
  `CREATE TABLE events (
     seq INTEGER PRIMARY KEY,
     type TEXT NOT NULL,
     step_id TEXT,
     attempt INTEGER,
     at INTEGER NOT NULL,
     data TEXT NOT NULL
   );
   CREATE TABLE run (
     id TEXT PRIMARY KEY,
     workflow TEXT NOT NULL,
     status TEXT NOT NULL,
     trigger TEXT NOT NULL,
     origin TEXT,
     idempotency_key TEXT,
     input_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     started_at INTEGER,
     updated_at INTEGER NOT NULL,
     finished_at INTEGER,
     wake_at INTEGER,
     index_version INTEGER NOT NULL DEFAULT 0,
     indexed_version INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE timers (
     key TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     due_at INTEGER NOT NULL
   );
   CREATE TABLE hooks (
     step_id TEXT PRIMARY KEY,
     token TEXT NOT NULL,
     status TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     timeout_at INTEGER
   );`,
  // v2: values over the large-value threshold live in R2; the row keeps the reference.
  "ALTER TABLE events ADD COLUMN blob_ref TEXT;",
  // v3: the code a run started on (JSON `{ deployment?, structure? }`), for the history filter.
  "ALTER TABLE run ADD COLUMN version TEXT;",
];

/** Brings the schema to the newest version; safe to call on every construction. */
export function migrate(sql: SqlStorage): void {
  const current = schemaVersion(sql);
  if (current === MIGRATIONS.length) return;
  // A new run (the common case: every run is a new object) gets every migration and its version
  // in one call into SQLite. Creating the tables is still about a tenth of a run's cost (decision 0009).
  const pending = MIGRATIONS.slice(current).join("\n");
  const version =
    current === 0
      ? `CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version (version) VALUES (${MIGRATIONS.length});`
      : `UPDATE schema_version SET version = ${MIGRATIONS.length};`;
  run(sql, `${pending}\n${version}`);
}

/** 0 for a new database. */
function schemaVersion(sql: SqlStorage): number {
  const table = query<{ n: number }>(
    sql,
    "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
  )[0];
  if (!table?.n) return 0;
  return query<{ version: number }>(sql, "SELECT version FROM schema_version")[0]?.version ?? 0;
}
