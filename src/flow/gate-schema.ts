// The tables of a flow-control gate object, created on its first request (a history shard hosting
// no gate never gets them).
import { run } from "../log/sql.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS flow_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS flow_holders (run_id TEXT PRIMARY KEY, granted_at INTEGER NOT NULL, notified INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS flow_waiters (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL UNIQUE, rank INTEGER NOT NULL, enqueued_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS flow_waiters_order ON flow_waiters (rank, seq);
CREATE TABLE IF NOT EXISTS flow_reservations (run_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS flow_reservations_at ON flow_reservations (at);
CREATE TABLE IF NOT EXISTS flow_single (id INTEGER PRIMARY KEY CHECK (id = 1), run_id TEXT);
CREATE TABLE IF NOT EXISTS flow_debounce (
  id INTEGER PRIMARY KEY CHECK (id = 1), pending TEXT, first_at INTEGER, due_at INTEGER, last_started TEXT);
CREATE TABLE IF NOT EXISTS flow_superseded (run_id TEXT PRIMARY KEY, by TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS flow_batch (
  id INTEGER PRIMARY KEY CHECK (id = 1), batch_id TEXT NOT NULL, batch_run_id TEXT NOT NULL, trigger TEXT NOT NULL,
  opened_at INTEGER NOT NULL, due_at INTEGER NOT NULL, max_size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS flow_batch_items (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT NOT NULL, run_id TEXT NOT NULL UNIQUE, item TEXT NOT NULL, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS flow_batch_runs (batch_id TEXT PRIMARY KEY, batch_run_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS flow_batch_done (batch_id TEXT PRIMARY KEY, done_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS flow_batch_closed (batch_id TEXT PRIMARY KEY, batch_run_id TEXT NOT NULL, items TEXT NOT NULL, trigger TEXT NOT NULL);
`;

/** Creates the gate's tables (idempotent). */
export function createGateTables(sql: SqlStorage): void {
  run(sql, SCHEMA);
}
