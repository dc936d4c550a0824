// Reads values given on the command line: JSON inline or `@file.json`, whole numbers.
import { readFileSync } from "node:fs";
import { UsageProblem } from "./context.ts";

export function parseJsonArgument(value: string | undefined, flag: string): unknown {
  if (value === undefined) return {};
  let text = value;
  if (value.startsWith("@")) {
    try {
      text = readFileSync(value.slice(1), "utf8");
    } catch (error) {
      throw new UsageProblem(`${flag}: cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageProblem(`${flag} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A whole number flag (`--limit 20`) of at least `min`; anything else is a usage error. */
export function wholeNumber(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new UsageProblem(`${flag} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}
