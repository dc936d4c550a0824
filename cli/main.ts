// The `cairn` command line: noun-verb commands over the HTTP API (registered in program.ts).
// Exit codes: 0 success, 1 a rejected request or a failed run, 2 a usage error.
import { CommanderError } from "commander";
import { CairnApiError, CairnConnectionError } from "../sdk/client.ts";
import { FailedOutcome, UsageProblem } from "./context.ts";
import { issueLines } from "./format.ts";
import { createProgram } from "./program.ts";

try {
  await createProgram().parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are not errors; everything else commander raises is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  const say = (message: string) => process.stderr.write(`cairn: ${message}\n`);
  if (error instanceof UsageProblem) {
    say(error.message);
    return 2;
  }
  if (error instanceof CairnApiError) {
    say(`${error.message} (${error.code}, HTTP ${error.status})`);
    // A validation error names each field that failed and why.
    for (const line of issueLines(error.details)) process.stderr.write(`${line}\n`);
    return 1;
  }
  if (error instanceof CairnConnectionError || error instanceof FailedOutcome) {
    say(error.message);
    return 1;
  }
  say((error as Error)?.stack ?? String(error));
  return 1;
}
