// A tiny typed layer over the Durable Object's synchronous SQLite API.

export type SqlValue = string | number | null | ArrayBuffer;
export type Row = Record<string, SqlValue>;

/** Runs a statement and returns its rows typed as `T`. */
export function query<T extends Row>(sql: SqlStorage, statement: string, ...params: SqlValue[]): T[] {
  return sql.exec<T>(statement, ...params).toArray();
}

/** Runs a statement for its effect. */
export function run(sql: SqlStorage, statement: string, ...params: SqlValue[]): void {
  sql.exec(statement, ...params);
}
