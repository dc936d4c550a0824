// A run's export: its identity and its full event log, as `GET /runs/:id/export` answers and
// `cairn replay --file` / `replayHistory` read it back (one object, an array, or NDJSON).
import { z } from "zod";
import { type RunEvent, RunEventSchema, type RunVersion, RunVersionSchema } from "./engine/events.ts";

/** One run as the replay gate needs it: who it is and every event its log holds, values as stored. */
export interface RunExport {
  run: {
    runId: string;
    workflow: string;
    status: string;
    /** The code the run started on (deployment and workflow structure), when the runtime recorded it. */
    version?: RunVersion;
  };
  events: RunEvent[];
}

/** One page of `GET /runs/export`: follow `next` until it is absent (a page may hold no runs). */
export interface RunExportPage {
  runs: RunExport[];
  next?: string;
}

const RunExportSchema = z.object({
  run: z.looseObject({
    runId: z.string().min(1),
    workflow: z.string().min(1),
    status: z.string(),
    version: RunVersionSchema.optional(),
  }),
  events: z.array(RunEventSchema),
});

/** A history file that is not a run export (or a list of them): says which one and why. */
export class InvalidRunExportError extends Error {
  readonly code = "invalid_run_export";
  override name = "InvalidRunExportError";
}

/**
 * Checks that `value` is a run export (the shape `GET /runs/:id/export` answers) and returns it
 * with its events parsed by the event schema.
 * @example const exported = parseRunExport(JSON.parse(await readFile("history.json", "utf8")));
 */
export function parseRunExport(value: unknown, where = "the export"): RunExport {
  const parsed = RunExportSchema.safeParse(value);
  if (parsed.success) return parsed.data as RunExport;
  const issue = parsed.error.issues[0];
  const path = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
  throw new InvalidRunExportError(`${where} is not a run export${path}: ${issue?.message ?? "invalid"}`);
}

/**
 * Reads run exports from text: one JSON export, a JSON array of them, a `{ runs: [...] }` page,
 * or NDJSON (one export per line), so a test suite can pin the histories it downloaded.
 * @example const exports = parseRunExports(readFileSync("test/histories/orders.ndjson", "utf8"));
 */
export function parseRunExports(text: string): RunExport[] {
  const trimmed = text.trim();
  if (!trimmed) throw new InvalidRunExportError("the history is empty");
  let whole: unknown;
  let isWhole = true;
  try {
    whole = JSON.parse(trimmed);
  } catch {
    isWhole = false;
  }
  if (isWhole) {
    if (Array.isArray(whole)) return whole.map((item, i) => parseRunExport(item, `export #${i + 1}`));
    const page = whole as { runs?: unknown };
    if (page && typeof page === "object" && Array.isArray(page.runs) && !("events" in page))
      return page.runs.map((item, i) => parseRunExport(item, `export #${i + 1}`));
    return [parseRunExport(whole)];
  }
  return trimmed
    .split("\n")
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, n }) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new InvalidRunExportError(`line ${n} is not JSON: ${(error as Error).message}`);
      }
      return parseRunExport(value, `line ${n}`);
    });
}
