// The /bench/meter answer: per Durable Object class, how many objects were reached, their
// requests in total and at the busiest object, and the rows, alarms, R2 and Queue calls.
import { type ObjectMeter, readMeters } from "./object-meter.ts";

/** One class's totals, and its busiest objects by requests. */
export interface ClassReport {
  objects: number;
  requests: number;
  readRequests: number;
  rowsRead: number;
  rowsWritten: number;
  /** Rows written per statement (and `setAlarm`), summed over the class's objects. */
  writesBy: Record<string, number>;
  setAlarms: number;
  queueMessages: number;
  activeMs: number;
  constructions: number;
  r2: Record<string, number>;
  methods: Record<string, number>;
  busiest: { id: string; requests: number; methods: Record<string, number> }[];
  /** Per method (and label), the object that received the most such requests. */
  mostByMethod: Record<string, { id: string; count: number }>;
}

export interface MeterReport {
  classes: Record<string, ClassReport>;
  /** Every object's meter (only with ?detail=1: 10,000 runs make a large answer). */
  objects?: Record<string, ObjectMeter>;
}

export function meterReport(detail: boolean): MeterReport {
  const classes: Record<string, ClassReport> = {};
  const all = readMeters();
  for (const [key, m] of all) {
    // A meter zeroed by a reset whose object did nothing since: not an object this load touched.
    if (m.requests + m.readRequests + m.rowsWritten + m.rowsRead + m.constructions === 0) continue;
    const [className = key, id = ""] = key.split(/:(.*)/s);
    const c = classes[className] ?? {
      objects: 0,
      requests: 0,
      readRequests: 0,
      rowsRead: 0,
      rowsWritten: 0,
      writesBy: {},
      setAlarms: 0,
      queueMessages: 0,
      activeMs: 0,
      constructions: 0,
      r2: {},
      methods: {},
      busiest: [],
      mostByMethod: {},
    };
    classes[className] = c;
    c.objects++;
    c.requests += m.requests;
    c.readRequests += m.readRequests;
    c.rowsRead += m.rowsRead;
    c.rowsWritten += m.rowsWritten;
    c.setAlarms += m.setAlarms;
    c.queueMessages += m.queueMessages;
    c.activeMs += m.activeMs;
    c.constructions += m.constructions;
    for (const [op, n] of Object.entries(m.r2)) c.r2[op] = (c.r2[op] ?? 0) + n;
    for (const [label, n] of Object.entries(m.writesBy)) c.writesBy[label] = (c.writesBy[label] ?? 0) + n;
    for (const [name, n] of Object.entries(m.methods)) {
      c.methods[name] = (c.methods[name] ?? 0) + n;
      if (n > (c.mostByMethod[name]?.count ?? 0)) c.mostByMethod[name] = { id, count: n };
    }
    c.busiest.push({ id, requests: m.requests, methods: m.methods });
  }
  for (const c of Object.values(classes)) c.busiest = c.busiest.sort((a, b) => b.requests - a.requests).slice(0, 5);
  return { classes, ...(detail ? { objects: Object.fromEntries(all) } : {}) };
}
