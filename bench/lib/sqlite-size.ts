// Size of one SQLite database on disk, for Durable Objects whose state lives in
// <persistDir>/v3/…/<id>.sqlite (+ -wal). workerd leaves most committed pages in the WAL, and
// the WAL holds every version of a page until a checkpoint, so besides the raw file sizes this
// reads the database size the last commit recorded (page count × page size), which is what
// `ctx.storage.sql.databaseSize` reports — without needing a SQLite library in Node.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface SqliteSize {
  /** `.sqlite` + `.sqlite-wal` file sizes as they are on disk now. */
  fileBytes: number;
  /** Pages in use after the last committed transaction × page size. */
  databaseBytes: number;
}

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/** Database size in pages after the last valid commit frame in the WAL, if any. */
function walDatabasePages(wal: Buffer): { pages: number; pageSize: number } | undefined {
  if (wal.length < 32) return undefined;
  const magic = wal.readUInt32BE(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return undefined;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let pages: number | undefined;
  // Frames: 24-byte header (page number, db size in pages on commit frames, salts, checksums)
  // then one page. Frames with other salts are left over from before the WAL was restarted.
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    const commitPages = wal.readUInt32BE(at + 4);
    if (commitPages > 0) pages = commitPages;
  }
  return pages === undefined ? undefined : { pages, pageSize };
}

export function sqliteSize(path: string): SqliteSize {
  const fileBytes = size(path) + size(`${path}-wal`);
  const fromWal = existsSync(`${path}-wal`) ? walDatabasePages(readFileSync(`${path}-wal`)) : undefined;
  if (fromWal) return { fileBytes, databaseBytes: fromWal.pages * fromWal.pageSize };
  // No committed frame in the WAL: the main file's header has the page size (offset 16, 1 means
  // 65536) and the page count (offset 28).
  const header = existsSync(path) ? readFileSync(path).subarray(0, 32) : Buffer.alloc(0);
  if (header.length < 32) return { fileBytes, databaseBytes: 0 };
  const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16);
  return { fileBytes, databaseBytes: header.readUInt32BE(28) * pageSize };
}

/** `.sqlite` files in `dir` (Durable Object databases, not miniflare's metadata.sqlite). */
export function objectDatabases(dir: string): Set<string> {
  if (!existsSync(dir)) return new Set();
  return new Set(
    readdirSync(dir)
      .filter((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite")
      .map((name) => join(dir, name)),
  );
}
