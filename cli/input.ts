// Reads JSON given on the command line: inline, or `@file.json`.
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
