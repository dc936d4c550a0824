// Bench-only metering of Cairn's Durable Objects: requests per object id, SQLite rows read and
// written, setAlarm calls, R2 and Queue operations and active (wall-clock) time, counted by
// subclasses the bench Worker exports in place of Cairn's classes. Production code is untouched.
import type { DurableObject } from "cloudflare:workers";

/** What one object (or the Worker entry, `worker:`) did since the last reset. */
export interface ObjectMeter {
  /** RPC calls, fetches and alarms delivered to the object: Cloudflare bills each as a request. */
  requests: number;
  /** Requests per method name. */
  methods: Record<string, number>;
  /**
   * Client reads (a run's record, its events, `?wait=`): billed too, but how often a client reads
   * is its choice, so they are counted apart from `requests` and kept out of `activeMs`.
   */
  readRequests: number;
  rowsRead: number;
  rowsWritten: number;
  /** Rows written per statement (its first words, e.g. `INSERT INTO events`): what the rows are. */
  writesBy: Record<string, number>;
  setAlarms: number;
  r2: Record<string, number>;
  queueMessages: number;
  /** Wall-clock ms with at least one billed request in flight (Date.now advances on I/O only). */
  activeMs: number;
  /** Constructor runs: the object was created or re-created after an eviction. */
  constructions: number;
}

const meters = new Map<string, ObjectMeter>();

function meter(key: string): ObjectMeter {
  let m = meters.get(key);
  if (!m) {
    m = emptyMeter();
    meters.set(key, m);
  }
  return m;
}

function emptyMeter(): ObjectMeter {
  return {
    requests: 0,
    methods: {},
    readRequests: 0,
    rowsRead: 0,
    rowsWritten: 0,
    writesBy: {},
    setAlarms: 0,
    r2: {},
    queueMessages: 0,
    activeMs: 0,
    constructions: 0,
  };
}

/** Every meter, keyed `<Class>:<object name or id>`. */
export function readMeters(): Map<string, ObjectMeter> {
  flushCursors();
  return meters;
}

/**
 * Zeroes every meter in place: a living object's storage wrappers hold its meter, so dropping the
 * meters would lose the rows of every object constructed before the reset (the history shards).
 */
export function resetMeters(): void {
  flushCursors();
  for (const m of meters.values()) Object.assign(m, emptyMeter());
}

// Cursors whose rows are read lazily: summed when the next statement runs or at read time.
const pending: { cursor: SqlStorageCursor<Record<string, SqlStorageValue>>; m: ObjectMeter; query: string }[] = [];
function flushCursors() {
  for (const { cursor, m, query } of pending.splice(0)) {
    // Miniflare names each object in a table of its own (`__miniflare_do_name`); Cloudflare does not.
    if (query.includes("__miniflare_")) continue;
    m.rowsRead += cursor.rowsRead;
    m.rowsWritten += cursor.rowsWritten;
    if (cursor.rowsWritten) {
      const label = statementLabel(query);
      m.writesBy[label] = (m.writesBy[label] ?? 0) + cursor.rowsWritten;
    }
  }
}

/** `INSERT INTO events (seq`, `UPDATE events SET run_state`, `CREATE TABLE timers`: enough to tell rows apart. */
function statementLabel(query: string): string {
  return query
    .trim()
    .split(/\s+/)
    .slice(0, 4)
    .join(" ")
    .replace(/[(,]+$/, "");
}

/** Wraps this object's SQL, alarm and binding calls so they count against `m`. */
function instrumentStorage(ctx: DurableObjectState, m: ObjectMeter) {
  const sql = ctx.storage.sql;
  const exec = sql.exec.bind(sql);
  Object.defineProperty(sql, "exec", {
    configurable: true,
    value: (query: string, ...bindings: SqlStorageValue[]) => {
      flushCursors();
      const cursor = exec(query, ...bindings);
      pending.push({ cursor, m, query });
      return cursor;
    },
  });
  const setAlarm = ctx.storage.setAlarm.bind(ctx.storage);
  Object.defineProperty(ctx.storage, "setAlarm", {
    configurable: true,
    value: (...args: Parameters<DurableObjectStorage["setAlarm"]>) => {
      m.setAlarms++;
      m.writesBy.setAlarm = (m.writesBy.setAlarm ?? 0) + 1;
      return setAlarm(...args);
    },
  });
}

/** The Worker's bindings with R2 and Queue calls counted against `m`. */
export function meteredEnv<E extends object>(env: E, m: ObjectMeter): E {
  const wrapped: Record<string, unknown> = { ...(env as Record<string, unknown>) };
  const source = env as Record<string, unknown>;
  const bucket = source.PAYLOADS as R2Bucket | undefined;
  if (bucket)
    wrapped.PAYLOADS = new Proxy(bucket, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          m.r2[String(prop)] = (m.r2[String(prop)] ?? 0) + 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  const queue = source.FANOUT as Queue | undefined;
  if (queue)
    wrapped.FANOUT = {
      send: (body: unknown, options?: QueueSendOptions) => {
        m.queueMessages++;
        return queue.send(body, options);
      },
      sendBatch: (messages: Iterable<MessageSendRequest>, options?: QueueSendBatchOptions) => {
        const list = [...messages];
        m.queueMessages += list.length;
        return queue.sendBatch(list, options);
      },
    };
  return wrapped as E;
}

/** The meter of the Worker entry (requests to the Worker, its R2 and Queue calls). */
export const workerMeter = (): ObjectMeter => meter("worker:");

// biome-ignore lint/suspicious/noExplicitAny: a mixin over any Durable Object class
type ObjectClass = new (...args: any[]) => DurableObject<any>;

/**
 * A subclass of `Base` whose requests (the listed RPC methods, plus `alarm` and `fetch` when the
 * class has them) are counted against its object's meter. Methods are wrapped on the subclass
 * prototype (RPC only sees prototype methods); private helpers are not listed, so an object's
 * calls to itself are not counted. The constructor wraps the object's SQL and alarm calls
 * before `Base`'s constructor runs its migrations.
 */
export function metered<T extends ObjectClass>(
  Base: T,
  className: string,
  methods: readonly string[],
  reads: readonly string[] = [],
  /** Splits a method's count by its arguments, e.g. history upserts by the run's status. */
  labels: Record<string, (...args: unknown[]) => string> = {},
): T {
  const keyOf = (ctx: DurableObjectState) => `${className}:${ctx.id.name ?? ctx.id.toString()}`;
  const inFlight = new Map<string, { count: number; since: number }>();
  // Runs before Base's constructor (its migrations are metered too).
  const instrumented = ([ctx, env]: [DurableObjectState, object]): [DurableObjectState, object] => {
    const m = meter(keyOf(ctx));
    m.constructions++;
    instrumentStorage(ctx, m);
    return [ctx, meteredEnv(env, m)];
  };
  const Metered = class extends Base {
    // biome-ignore lint/suspicious/noExplicitAny: forwards Base's constructor arguments
    constructor(...args: any[]) {
      super(...instrumented(args as [DurableObjectState, object]));
    }
  };
  for (const name of ["alarm", "fetch", ...methods, ...reads]) {
    const descriptor = findDescriptor(Base.prototype, name);
    if (!descriptor || typeof descriptor.value !== "function") continue;
    const original = descriptor.value as (...args: unknown[]) => unknown;
    Object.defineProperty(Metered.prototype, name, {
      configurable: true,
      writable: true,
      value: function (this: { ctx: DurableObjectState }, ...args: unknown[]) {
        const key = keyOf(this.ctx);
        const m = meter(key);
        m.methods[name] = (m.methods[name] ?? 0) + 1;
        const label = labels[name]?.(...args);
        if (label) m.methods[`${name}:${label}`] = (m.methods[`${name}:${label}`] ?? 0) + 1;
        if (reads.includes(name)) {
          m.readRequests++;
          return original.apply(this, args);
        }
        m.requests++;
        const flight = inFlight.get(key) ?? { count: 0, since: Date.now() };
        if (flight.count === 0) flight.since = Date.now();
        flight.count++;
        inFlight.set(key, flight);
        const done = () => {
          flight.count--;
          if (flight.count === 0) m.activeMs += Date.now() - flight.since;
        };
        try {
          const result = original.apply(this, args);
          if (result instanceof Promise) return result.finally(done);
          done();
          return result;
        } catch (error) {
          done();
          throw error;
        }
      },
    });
  }
  return Metered;
}

function findDescriptor(proto: object, name: string): PropertyDescriptor | undefined {
  for (let p = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d) return d;
  }
  return undefined;
}
