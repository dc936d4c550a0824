// What a replay reports when the code no longer makes the call the log recorded: the
// `non_determinism` reason a blocked run carries, with a readable diff of the two calls.
import type { Divergence, RunEvent } from "./events.ts";
import { STEP_INPUT_RECORD_BYTES } from "./limits.ts";

/** A call as the divergence shows it: `input` only when it was (or would be) recorded. */
export interface CallShape {
  kind: string;
  name: string;
  input?: { value: unknown };
  inputHash: string;
}

/** Most diff lines a reason carries; the rest are counted in a last line. */
export const MAX_DIFF_LINES = 20;
/** Longest rendering of one value in a diff line. */
const MAX_VALUE_CHARS = 80;

/**
 * The input as `step_started` records it: itself when its JSON fits STEP_INPUT_RECORD_BYTES,
 * else nothing (the hash alone is kept). Values JSON cannot hold are left out too.
 */
export function recordableInput(input: unknown): { value: unknown } | undefined {
  if (input === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch {
    return undefined;
  }
  // UTF-8 takes at most 3 bytes per UTF-16 unit: most inputs skip the exact measurement.
  if (json === undefined) return undefined;
  if (json.length * 3 > STEP_INPUT_RECORD_BYTES && new TextEncoder().encode(json).byteLength > STEP_INPUT_RECORD_BYTES)
    return undefined;
  return { value: JSON.parse(json) };
}

/** The `input` field of a first `step_started`: present only for a recordable input. */
export function inputField(input: unknown): { input?: unknown } {
  const recorded = recordableInput(input);
  return recorded ? { input: recorded.value } : {};
}

function render(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function walk(path: string, before: unknown, after: unknown, out: string[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) walk(`${path}[${i}]`, before[i], after[i], out);
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      walk(step, before[key], after[key], out);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) out.push(`${path}: ${render(before)} → ${render(after)}`);
}

/**
 * Readable lines saying how the current call differs from the recorded one.
 * @example diffLines(recorded, current) // ["input.amount: 10 → 12"]
 */
export function diffLines(recorded: CallShape, current: CallShape): string[] {
  const lines: string[] = [];
  if (recorded.kind !== current.kind) lines.push(`kind: ${recorded.kind} → ${current.kind}`);
  if (recorded.name !== current.name) lines.push(`name: ${recorded.name} → ${current.name}`);
  if (recorded.inputHash !== current.inputHash) {
    if (recorded.input && current.input) walk("input", recorded.input.value, current.input.value, lines);
    // An input the log kept by its hash only (too large, or recorded before inputs were kept),
    // or equal JSON with different hashes (a value JSON cannot show).
    if (!recorded.input || !current.input || lines.length === 0)
      lines.push(
        `input: hash ${recorded.inputHash} → ${current.inputHash} (the log keeps only the hash of this input)`,
      );
  }
  if (lines.length <= MAX_DIFF_LINES) return lines;
  return [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more differences`];
}

/** The reason a run is blocked at `stepId`. */
export function divergenceOf(
  stepId: string,
  site: string | undefined,
  recorded: CallShape,
  current: CallShape,
): Divergence {
  const diff = diffLines(recorded, current);
  const at = site ? `step ${stepId} (call site ${site})` : `step ${stepId}`;
  const message =
    `${at} was recorded as ${recorded.kind} ${recorded.name} but the code now calls ${current.kind} ${current.name}` +
    `${diff.length ? ` (${diff.join("; ")})` : ""}; deploy code that makes the recorded call (ctx.patched() keeps old runs on their path)`;
  const shape = (call: CallShape) => ({
    kind: call.kind,
    name: call.name,
    ...(call.input ? { input: call.input.value } : {}),
    inputHash: call.inputHash,
  });
  return {
    code: "non_determinism",
    message,
    stepId,
    ...(site ? { site } : {}),
    recorded: shape(recorded),
    current: shape(current),
    diff,
  };
}

/** The reason of the run's open block: its last `run_blocked` when no `run_unblocked` came after. */
export function openBlock(events: readonly RunEvent[]): Divergence | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.type === "run_unblocked") return undefined;
    if (event.type === "run_blocked") return event.reason;
  }
  return undefined;
}

/** Whether two reasons name the same divergence (a blocked run records each reason once). */
export function sameDivergence(a: Divergence | undefined, b: Divergence): boolean {
  return (
    a !== undefined &&
    a.stepId === b.stepId &&
    a.recorded.inputHash === b.recorded.inputHash &&
    a.current.inputHash === b.current.inputHash &&
    a.current.kind === b.current.kind &&
    a.current.name === b.current.name
  );
}
