// The run store's schema. Every SQLite row a run writes is billed, creating a table included
// (two rows each), so a new run creates only the tables it uses, each when first needed: `events`
// at the start (the run row rides on it, run-rows.ts), `timers` at its first sleep, retry or
// recheck, `hooks` at its first hook. Text-keyed tables are WITHOUT ROWID: no second index row per
// insert (decision 0024).
import { query, run } from "./sql.ts";

export type RunTable = "events" | "timers" | "hooks";

/** The newest layout, one statement per table. */
const TABLES: Record<RunTable, string> = {
  events: `CREATE TABLE events (
     seq INTEGER PRIMARY KEY,
     type TEXT NOT NULL,
     step_id TEXT,
     attempt INTEGER,
     at INTEGER NOT NULL,
     data TEXT NOT NULL,
     blob_ref TEXT,
     run_state TEXT
   )`,
  timers: "CREATE TABLE timers (key TEXT PRIMARY KEY, kind TEXT NOT NULL, due_at INTEGER NOT NULL) WITHOUT ROWID",
  hooks: `CREATE TABLE hooks (
     step_id TEXT PRIMARY KEY,
     token TEXT NOT NULL,
     status TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     timeout_at INTEGER
   ) WITHOUT ROWID`,
};

/**
 * Runs recorded before tables were created lazily carry a `schema_version` table and all four
 * tables; these bring them to the newest columns. Index i upgrades version i + 1 to i + 2. A later
 * column change appends here and creates `schema_version` for lazily created databases too.
 */
const LEGACY_MIGRATIONS: string[] = [
  // v2: values over the large-value threshold live in R2; the row keeps the reference.
  "ALTER TABLE events ADD COLUMN blob_ref TEXT;",
  // v3: the code a run started on (JSON `{ deployment?, structure? }`), for the history filter.
  "ALTER TABLE run ADD COLUMN version TEXT;",
];

/** The version a legacy database reaches; lazily created databases are at it from the start. */
export const SCHEMA_VERSION = LEGACY_MIGRATIONS.length + 1;

/** Which of the run's tables exist: read once per object, then kept as they are created. */
export class RunSchema {
  private readonly tables = new Set<string>();

  constructor(private readonly sql: SqlStorage) {
    this.reload();
  }

  has(table: RunTable): boolean {
    return this.tables.has(table);
  }

  /** Creates `table` if this run has not yet; call inside the transaction that first writes it. */
  ensure(table: RunTable): void {
    if (this.tables.has(table)) return;
    run(this.sql, TABLES[table]);
    this.tables.add(table);
  }

  /** Reads the tables again (after a rolled-back transaction, or a purge deleted them all). */
  reload(): void {
    this.tables.clear();
    for (const { name } of query<{ name: string }>(this.sql, "SELECT name FROM sqlite_master WHERE type = 'table'"))
      this.tables.add(name);
    if (this.tables.has("schema_version")) migrateLegacy(this.sql);
    if (this.tables.has("run")) {
      moveRunRow(this.sql);
      this.tables.delete("run");
    }
  }
}

/** The `run` table's columns, in the order the row's JSON names them. */
const RUN_COLUMNS = [
  "id",
  "workflow",
  "status",
  "trigger",
  "origin",
  "idempotency_key",
  "input_hash",
  "created_at",
  "started_at",
  "updated_at",
  "finished_at",
  "wake_at",
  "index_version",
  "indexed_version",
  "version",
];

/**
 * Databases created before the run row moved onto the log keep it in a `run` table: it goes onto
 * the newest event's `run_state` and the table is dropped, in one synchronous segment.
 */
function moveRunRow(sql: SqlStorage): void {
  const fields = RUN_COLUMNS.map((column) => `'${column}', ${column}`).join(", ");
  const hasColumn = query(sql, "SELECT name FROM pragma_table_info('events') WHERE name = 'run_state'").length > 0;
  run(
    sql,
    `${hasColumn ? "" : "ALTER TABLE events ADD COLUMN run_state TEXT;"}
     UPDATE events SET run_state = (SELECT json_object(${fields}) FROM run) WHERE seq = (SELECT MAX(seq) FROM events);
     DROP TABLE run;`,
  );
}

/** Brings a database created with `schema_version` to the newest columns. */
function migrateLegacy(sql: SqlStorage): void {
  const current = query<{ version: number }>(sql, "SELECT version FROM schema_version")[0]?.version ?? 1;
  if (current >= SCHEMA_VERSION) return;
  const pending = LEGACY_MIGRATIONS.slice(current - 1).join("\n");
  run(sql, `${pending}\nUPDATE schema_version SET version = ${SCHEMA_VERSION};`);
}
